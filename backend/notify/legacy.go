package notify

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// LegacyWatermark is the file in the app's data folder where an app before
// the cache told news by the feed's order kept the time of the newest reply
// it had told of. Nothing reads it any more (the rules above compare no
// clock); RemoveLegacyWatermark deletes it.
const LegacyWatermark = "notify.json"

// RemoveLegacyWatermark deletes the watermark an older app left in dataDir,
// so that the folder holds only what the app uses. Run at every start: once
// it is gone (or was never there) it does nothing.
func RemoveLegacyWatermark(dataDir string) error {
	path := filepath.Join(dataDir, LegacyWatermark)
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove the notification watermark %s an older Textbank left: %w", path, err)
	}
	return nil
}
