package notify

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// FileStore keeps the watermark in a small JSON file next to the cache
// (readable by the volunteer alone), written atomically so a crash leaves
// either the old or the new watermark.
type FileStore struct{ Path string }

type watermarkFile struct {
	Watermark time.Time `json:"watermark"`
}

// LoadWatermark reads the file; a missing file is a first run.
func (f FileStore) LoadWatermark() (time.Time, bool, error) {
	raw, err := os.ReadFile(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, err
	}
	var w watermarkFile
	if err := json.Unmarshal(raw, &w); err != nil {
		return time.Time{}, false, fmt.Errorf("read %s: %w", f.Path, err)
	}
	return w.Watermark, true, nil
}

// SaveWatermark replaces the file.
func (f FileStore) SaveWatermark(t time.Time) error {
	raw, err := json.Marshal(watermarkFile{Watermark: t.UTC()})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(f.Path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(f.Path), ".watermark-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(raw); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), f.Path)
}
