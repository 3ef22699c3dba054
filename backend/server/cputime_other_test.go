//go:build !unix

package server

import "time"

func ProcessCPU() time.Duration { return 0 }
