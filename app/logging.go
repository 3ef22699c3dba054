package app

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/rs/zerolog"
	"github.com/wailsapp/wails/v2/pkg/logger"

	"github.com/textbank/textbank/backend/loglevel"
	"github.com/textbank/textbank/backend/logsafe"
)

// maxLogBytes is where the log file is rotated at start-up: one previous
// file is kept, so a volunteer's disk never fills with logs.
const maxLogBytes = 5 << 20

// NewLogger logs JSON to dir/logs/textbank.log and, for whoever started the
// app from a terminal, readable lines on stderr.
func NewLogger(dir, level string) (zerolog.Logger, func(), error) {
	lvl, err := loglevel.Parse(level)
	if err != nil {
		return zerolog.Nop(), nil, err
	}
	logDir := filepath.Join(dir, "logs")
	if err := os.MkdirAll(logDir, 0o700); err != nil {
		return zerolog.Nop(), nil, fmt.Errorf("create log dir: %w", err)
	}
	// Modes are set on a directory and file made before too (an older
	// Textbank, a copy): the log names the account and contacts, and is the
	// volunteer's alone, as the cache is (cache.Open does the same).
	if err := os.Chmod(logDir, 0o700); err != nil {
		return zerolog.Nop(), nil, fmt.Errorf("make log dir private: %w", err)
	}
	path := filepath.Join(logDir, "textbank.log")
	if st, err := os.Stat(path); err == nil && st.Size() > maxLogBytes {
		_ = os.Rename(path, path+".1")
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return zerolog.Nop(), nil, fmt.Errorf("open log file: %w", err)
	}
	if err := f.Chmod(0o600); err != nil {
		_ = f.Close()
		return zerolog.Nop(), nil, fmt.Errorf("make log file private: %w", err)
	}
	// Emails and contacts' numbers in errors are masked (logsafe): the log
	// file outlives signing out, which deletes the cache that holds them.
	var out io.Writer = logsafe.Writer(zerolog.MultiLevelWriter(f, zerolog.ConsoleWriter{Out: os.Stderr, TimeFormat: "15:04:05"}))
	log := zerolog.New(out).Level(lvl).With().Timestamp().Logger()
	return log, func() { _ = f.Close() }, nil
}

// WailsLogger routes the Wails runtime's own messages into zerolog.
func WailsLogger(log zerolog.Logger) logger.Logger {
	return wailsLog{log.With().Str("component", "wails").Logger()}
}

// WailsLogLevel maps our level names onto Wails'.
func WailsLogLevel(level string) logger.LogLevel {
	switch level {
	case "debug":
		return logger.DEBUG
	case "warn":
		return logger.WARNING
	case "error":
		return logger.ERROR
	default:
		return logger.INFO
	}
}

type wailsLog struct{ l zerolog.Logger }

func (w wailsLog) Print(m string)   { w.l.Info().Msg(m) }
func (w wailsLog) Trace(m string)   { w.l.Trace().Msg(m) }
func (w wailsLog) Debug(m string)   { w.l.Debug().Msg(m) }
func (w wailsLog) Info(m string)    { w.l.Info().Msg(m) }
func (w wailsLog) Warning(m string) { w.l.Warn().Msg(m) }
func (w wailsLog) Error(m string)   { w.l.Error().Msg(m) }
func (w wailsLog) Fatal(m string)   { w.l.Fatal().Msg(m) }
