package app

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"sync"
)

// The tray icon's bytes depend on the platform (trayIconStyleHere, set in
// trayicon_windows.go / trayicon_linux.go / trayicon_other.go):
//
//   - macOS: fyne.io/systray takes the PNGs as they are, and the unread
//     count is the title beside the icon in the menu bar (SetTitle). The
//     icon only switches to the red-dot variant.
//   - Linux: systray hands the PNG to the panel as a StatusNotifierItem
//     pixmap. Its "title" is the item's name, which no common panel
//     (GNOME's AppIndicator extension, KDE Plasma, XFCE, Cinnamon) shows
//     beside the icon, so a count there is a count nobody sees: the count
//     is drawn on the icon, as on Windows, in a PNG.
//   - Windows: fyne.io/systray writes the bytes to a file and loads it with
//     LoadImage(IMAGE_ICON, LR_LOADFROMFILE), which takes only .ico, and its
//     SetTitle does nothing. So the tray gets an .ico made here, and the
//     count is drawn as a badge on the icon itself.
//
// Why an encoder rather than .ico files made once with ImageMagick: the
// badge has to be drawn at run time for each count, so an .ico has to be
// built in Go anyway; doing the plain icon the same way keeps one source
// picture (icons/tray.png) and nothing generated to keep in step with it.
type trayIconStyle int

const (
	// trayIconPNGTitle: PNG bytes, the count in the tray title.
	trayIconPNGTitle trayIconStyle = iota
	// trayIconICOBadge: .ico bytes, the count as a badge on the icon.
	trayIconICOBadge
	// trayIconPNGBadge: PNG bytes of trayPNGSize, the count as a badge.
	trayIconPNGBadge
)

// trayPNGSize is the side of the Linux badged icon. A StatusNotifierItem
// pixmap is one size, which the panel scales to its own (16 px in GNOME's
// top bar, 22-24 in Plasma and most others); at 32 the badge's font is
// two pixels a unit, so halved to 16 it lands on whole pixels and stays
// sharp, and at 22-24 it is still readable. The plain icon is drawn at the
// same size, so the picture does not shift when the badge comes and goes.
const trayPNGSize = 32

// trayICOSizes are the images in the tray .ico. systray loads the icon with
// LR_DEFAULTSIZE, i.e. at SM_CXICON (32 px at 100% scaling, 40 at 125%, 48
// at 150%, 64 at 200%), and the shell shrinks it to the notification area's
// small-icon size (16, 20, 24, 32). Windows picks the entry nearest the size
// it loads, so these cover both the loaded and the shown sizes.
var trayICOSizes = []int{16, 20, 24, 32, 40, 48, 64}

// trayIcons hands out the tray icon for an unread count, building each
// badged variant once: there are at most eleven (none, 1-9, "9+"), which
// also bounds the temp files and icon handles systray keeps per distinct
// icon.
type trayIcons struct {
	style trayIconStyle
	plain []byte // icons/tray.png
	dot   []byte // icons/tray-unread.png

	mu    sync.Mutex
	base  image.Image // plain, decoded once
	cache map[string][]byte
}

func newTrayIcons(style trayIconStyle, plain, dot []byte) *trayIcons {
	return &trayIcons{style: style, plain: plain, dot: dot, cache: map[string][]byte{}}
}

// icon returns the bytes to hand to systray.SetIcon for an unread count,
// and a key that is the same exactly when the bytes are, so the caller
// sets the icon only when it changes.
func (t *trayIcons) icon(unread int) (key string, b []byte) {
	if t.style == trayIconPNGTitle {
		if unread > 0 {
			return "dot", t.dot
		}
		return "plain", t.plain
	}
	label := badgeLabel(unread)
	key = "ico:" + label
	if t.style == trayIconPNGBadge {
		key = "png:" + label
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if b, ok := t.cache[key]; ok {
		return key, b
	}
	if t.base == nil {
		img, err := png.Decode(bytes.NewReader(t.plain))
		if err != nil {
			// Cannot happen with the embedded icon (a test decodes
			// it); systray will say it cannot set the icon.
			return "png", t.plain
		}
		t.base = img
	}
	if t.style == trayIconPNGBadge {
		b = badgedPNG(t.base, label)
	} else {
		b = badgedICO(t.base, label)
	}
	t.cache[key] = b
	return key, b
}

// trayTitle is the tray's title for st. Where the count is the title
// (macOS), the count or nothing. Elsewhere the title is the item's name:
// Plasma lists tray entries by it in its settings, so it stays "Textbank"
// rather than a bare number (Windows ignores it).
func trayTitle(style trayIconStyle, st TrayState) string {
	if style == trayIconPNGTitle {
		return st.Title
	}
	return "Textbank"
}

// badgeLabel is what the badge says: nothing for no unread replies, the
// count up to 9, then "9+" (two glyphs are all a 16 px icon has room for).
func badgeLabel(unread int) string {
	switch {
	case unread <= 0:
		return ""
	case unread <= 9:
		return fmt.Sprint(unread)
	}
	return "9+"
}

// badgedICO is an .ico of base at each of trayICOSizes, with the badge for
// label drawn on each ("" for none).
func badgedICO(base image.Image, label string) []byte {
	imgs := make([]image.Image, len(trayICOSizes))
	for i, s := range trayICOSizes {
		img := scaleIcon(base, s)
		drawBadge(img, label)
		imgs[i] = img
	}
	b, err := encodeICO(imgs)
	if err != nil {
		panic(err) // only sizes over 256 px fail, and trayICOSizes has none
	}
	return b
}

// badgedPNG is a PNG of base at trayPNGSize with the badge for label
// drawn on it ("" for none).
func badgedPNG(base image.Image, label string) []byte {
	img := scaleIcon(base, trayPNGSize)
	drawBadge(img, label)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err) // an RGBA image in memory always encodes
	}
	return buf.Bytes()
}

// encodeICO writes an .ico whose entries are PNG images, one per image, in
// the order given. PNG entries are valid since Windows Vista (LoadImage and
// CreateIconFromResourceEx read them); WebView2, which Wails needs, wants
// Windows 10 or later anyway. Each image must be square-ish and at most
// 256 px a side.
func encodeICO(imgs []image.Image) ([]byte, error) {
	const dirSize, entrySize = 6, 16
	if len(imgs) == 0 || len(imgs) > math.MaxUint16 {
		return nil, errors.New("ico: need 1 to 65535 images")
	}
	payloads := make([][]byte, len(imgs))
	for i, img := range imgs {
		w, h := img.Bounds().Dx(), img.Bounds().Dy()
		if w < 1 || h < 1 || w > 256 || h > 256 {
			return nil, fmt.Errorf("ico: image %d is %dx%d; want 1 to 256 px a side", i, w, h)
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			return nil, fmt.Errorf("ico: image %d: %w", i, err)
		}
		payloads[i] = buf.Bytes()
	}
	var out bytes.Buffer
	le := func(v any) { _ = binary.Write(&out, binary.LittleEndian, v) }
	// ICONDIR: reserved, type (1 = icon), count.
	le(uint16(0))
	le(uint16(1))
	le(uint16(len(imgs)))
	offset := dirSize + entrySize*len(imgs)
	for i, img := range imgs {
		w, h := img.Bounds().Dx(), img.Bounds().Dy()
		// ICONDIRENTRY: width, height (0 means 256), colours in the
		// palette (0: none), reserved, planes, bits per pixel, size of
		// the image data, its offset from the start of the file.
		out.WriteByte(byte(w)) // 256 wraps to 0, as the format wants
		out.WriteByte(byte(h))
		out.WriteByte(0)
		out.WriteByte(0)
		le(uint16(1))
		le(uint16(32))
		le(uint32(len(payloads[i])))
		le(uint32(offset))
		offset += len(payloads[i])
	}
	for _, p := range payloads {
		out.Write(p)
	}
	return out.Bytes(), nil
}

// scaleIcon resizes src to size x size by area averaging (each target pixel
// is the coverage-weighted mean of the source pixels under it, in
// premultiplied alpha), which is what shrinking a picture wants.
func scaleIcon(src image.Image, size int) *image.RGBA {
	sb := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, size, size))
	fx := float64(sb.Dx()) / float64(size)
	fy := float64(sb.Dy()) / float64(size)
	for dy := 0; dy < size; dy++ {
		y0, y1 := float64(dy)*fy, float64(dy+1)*fy
		for dx := 0; dx < size; dx++ {
			x0, x1 := float64(dx)*fx, float64(dx+1)*fx
			var r, g, b, a float64
			for sy := int(y0); float64(sy) < y1; sy++ {
				wy := math.Min(y1, float64(sy+1)) - math.Max(y0, float64(sy))
				for sx := int(x0); float64(sx) < x1; sx++ {
					w := wy * (math.Min(x1, float64(sx+1)) - math.Max(x0, float64(sx)))
					cr, cg, cb, ca := src.At(sb.Min.X+sx, sb.Min.Y+sy).RGBA()
					r += w * float64(cr)
					g += w * float64(cg)
					b += w * float64(cb)
					a += w * float64(ca)
				}
			}
			n := fx * fy * 257 // to 8 bits
			dst.SetRGBA(dx, dy, color.RGBA{R: to8(r / n), G: to8(g / n), B: to8(b / n), A: to8(a / n)})
		}
	}
	return dst
}

func to8(v float64) uint8 { return uint8(math.Min(255, math.Round(v))) }

var (
	badgeRed   = color.RGBA{R: 217, G: 48, B: 37, A: 255} // the dot in icons/tray-unread.png
	badgeWhite = color.RGBA{R: 255, G: 255, B: 255, A: 255}
)

// badgeUnit is the size in pixels of one pixel of the badge's 3x5 font on
// an icon size px a side: 1 below 32 px, and at 32 px and up twice that of
// the icon half the size. So every entry of 32 px or more is an exact 2x
// enlargement of the badge on the entry half its size, and when Windows
// shrinks the loaded icon by half to the tray's size (see trayICOSizes),
// the digits land on whole pixels and stay sharp.
func badgeUnit(size int) int {
	if size < 32 {
		return 1
	}
	return 2 * badgeUnit(size/2)
}

// badgeRect is where the badge for label goes on an icon size px a side:
// a red pill with a one-unit white ring, in the top right corner, the
// whole of it inside the returned rectangle; empty when label is "".
func badgeRect(size int, label string) image.Rectangle {
	if label == "" {
		return image.Rectangle{}
	}
	u := badgeUnit(size)
	w, h := badgeWidth(label)+4, 9 // in units: ring, padding, text, padding, ring
	if w < h {
		w = h // a single digit sits in a circle
	}
	return image.Rect(size-w*u, 0, size, h*u)
}

// badgeWidth is the width of label in font units: 3 a glyph, 1 between.
func badgeWidth(label string) int { return 4*len(label) - 1 }

// drawBadge draws the badge for label on img (a square icon) in place;
// "" draws nothing. The pill is anti-aliased; the digits are whole
// units, so they are sharp.
func drawBadge(img *image.RGBA, label string) {
	size := img.Bounds().Dx()
	r := badgeRect(size, label)
	if r.Empty() {
		return
	}
	u := badgeUnit(size)
	fr := func(r image.Rectangle) [4]float64 {
		return [4]float64{float64(r.Min.X), float64(r.Min.Y), float64(r.Max.X), float64(r.Max.Y)}
	}
	inner := r.Inset(u)
	draw.DrawMask(img, r, image.NewUniform(badgeWhite), image.Point{}, pillMask(r, fr(r)), r.Min, draw.Over)
	draw.DrawMask(img, r, image.NewUniform(badgeRed), image.Point{}, pillMask(r, fr(inner)), r.Min, draw.Over)
	// The text, centred in the inner pill.
	x := inner.Min.X + (inner.Dx()-badgeWidth(label)*u)/2
	y := inner.Min.Y + u
	white := image.NewUniform(badgeWhite)
	for _, c := range label {
		g := badgeFont[c]
		for row := 0; row < 5; row++ {
			for col := 0; col < 3; col++ {
				if g[row][col] == '#' {
					px := image.Rect(x+col*u, y+row*u, x+(col+1)*u, y+(row+1)*u)
					draw.Draw(img, px, white, image.Point{}, draw.Src)
				}
			}
		}
		x += 4 * u
	}
}

// pillMask is the coverage, over the pixels of bounds, of a pill (a
// rectangle with fully rounded ends: a circle when square) filling the
// rectangle p = {x0, y0, x1, y1}, sampled 4x4 per pixel.
func pillMask(bounds image.Rectangle, p [4]float64) *image.Alpha {
	m := image.NewAlpha(bounds)
	rad := math.Min(p[2]-p[0], p[3]-p[1]) / 2
	// The pill is the points within rad of the segment between the
	// centres of its two end circles.
	ax, bx := p[0]+rad, p[2]-rad
	ay, by := p[1]+rad, p[3]-rad
	const n = 4
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			in := 0
			for sy := 0; sy < n; sy++ {
				for sx := 0; sx < n; sx++ {
					px := float64(x) + (float64(sx)+0.5)/n
					py := float64(y) + (float64(sy)+0.5)/n
					dx := px - math.Max(ax, math.Min(bx, px))
					dy := py - math.Max(ay, math.Min(by, py))
					if dx*dx+dy*dy <= rad*rad {
						in++
					}
				}
			}
			m.SetAlpha(x, y, color.Alpha{A: uint8(in * 255 / (n * n))})
		}
	}
	return m
}

// badgeFont is a 3x5 pixel font for the badge: the digits and "+".
// (golang.org/x/image/font/basicfont's 7x13 face does not fit a 16 px icon
// and cannot be scaled sharply; this needs no new module either.)
var badgeFont = map[rune][5]string{
	'0': {"###", "#.#", "#.#", "#.#", "###"},
	'1': {".#.", "##.", ".#.", ".#.", "###"},
	'2': {"###", "..#", "###", "#..", "###"},
	'3': {"###", "..#", "###", "..#", "###"},
	'4': {"#.#", "#.#", "###", "..#", "..#"},
	'5': {"###", "#..", "###", "..#", "###"},
	'6': {"###", "#..", "###", "#.#", "###"},
	'7': {"###", "..#", "..#", ".#.", ".#."},
	'8': {"###", "#.#", "###", "#.#", "###"},
	'9': {"###", "#.#", "###", "..#", "###"},
	'+': {"...", ".#.", "###", ".#.", "..."},
}
