package simdoor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"syscall"
	"time"
)

// askTimeout bounds sim text's wait for the server.
const askTimeout = 30 * time.Second

// Ask sends t to the server behind door and reads its answer.
func Ask(ctx context.Context, door Door, dataDir string, t Text) (Answer, error) {
	body, err := json.Marshal(t)
	if err != nil {
		return Answer{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, askTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, door.URL+Path, bytes.NewReader(body))
	if err != nil {
		return Answer{}, fmt.Errorf("%s is damaged (restarting the server writes it again): %w; nothing was sent", filepath.Join(dataDir, File), err)
	}
	req.Header.Set("Authorization", "Bearer "+door.Key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if errors.Is(err, syscall.ECONNREFUSED) {
		return Answer{}, fmt.Errorf("no server answers at %s, which %s names: the server on the simulated network that wrote it "+
			"has stopped (without removing it); start it again; nothing was sent", door.URL, filepath.Join(dataDir, File))
	}
	if err != nil {
		return Answer{}, fmt.Errorf("ask the server at %s: %w; whether it stored the text, textbankd unroutable or the app's inbox says", door.URL, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return Answer{}, fmt.Errorf("read the server's answer: %w; whether it stored the text, textbankd unroutable or the app's inbox says", err)
	}
	var ans Answer
	var refusal Refusal
	switch {
	case resp.StatusCode == http.StatusOK && json.Unmarshal(raw, &ans) == nil:
		return ans, nil
	case resp.StatusCode == http.StatusNotFound:
		// Another server took the port of one that stopped without
		// removing its door.
		return Answer{}, fmt.Errorf("the server at %s does not run the simulated network (its --provider is not sim), so it takes no "+
			"simulated text: a text there comes from a real phone; nothing was sent", door.URL)
	case json.Unmarshal(raw, &refusal) == nil && refusal.Error != "":
		return Answer{}, errors.New(refusal.Error)
	}
	return Answer{}, fmt.Errorf("the server at %s answered %s; whether it stored the text, textbankd unroutable or the app's inbox says", door.URL, resp.Status)
}
