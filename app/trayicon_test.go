package app

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"runtime"
	"testing"
)

// icoEntry is one image of a parsed .ico.
type icoEntry struct {
	w, h   int // from the directory entry
	planes int
	bpp    int
	img    image.Image
}

// parseICO checks an .ico the way a reader would and decodes its
// (PNG) entries.
func parseICO(t *testing.T, b []byte) []icoEntry {
	t.Helper()
	if len(b) < 6 {
		t.Fatalf("ico: %d bytes, shorter than its header", len(b))
	}
	u16 := func(o int) int { return int(binary.LittleEndian.Uint16(b[o:])) }
	u32 := func(o int) int { return int(binary.LittleEndian.Uint32(b[o:])) }
	if u16(0) != 0 || u16(2) != 1 {
		t.Fatalf("ico header: reserved %d, type %d; want 0, 1", u16(0), u16(2))
	}
	n := u16(4)
	dirEnd := 6 + 16*n
	if n == 0 || len(b) < dirEnd {
		t.Fatalf("ico: %d entries in %d bytes", n, len(b))
	}
	next := dirEnd // entries are laid out one after another
	var out []icoEntry
	for i := 0; i < n; i++ {
		e := b[6+16*i:]
		w, h := int(e[0]), int(e[1])
		if w == 0 {
			w = 256
		}
		if h == 0 {
			h = 256
		}
		if e[2] != 0 || e[3] != 0 {
			t.Errorf("entry %d: colours %d, reserved %d; want 0, 0", i, e[2], e[3])
		}
		size, off := u32(6+16*i+8), u32(6+16*i+12)
		if off != next || off+size > len(b) {
			t.Fatalf("entry %d: %d bytes at %d; want at %d, within %d", i, size, off, next, len(b))
		}
		next = off + size
		img, err := png.Decode(bytes.NewReader(b[off : off+size]))
		if err != nil {
			t.Fatalf("entry %d: not a PNG: %v", i, err)
		}
		if got := img.Bounds().Size(); got != image.Pt(w, h) {
			t.Errorf("entry %d: says %dx%d, PNG is %v", i, w, h, got)
		}
		out = append(out, icoEntry{w: w, h: h, planes: u16(6 + 16*i + 4), bpp: u16(6 + 16*i + 6), img: img})
	}
	if next != len(b) {
		t.Errorf("ico: %d bytes after the last entry", len(b)-next)
	}
	return out
}

func TestEncodeICO(t *testing.T) {
	var imgs []image.Image
	for i, s := range []int{16, 24, 32, 48, 256} {
		img := image.NewRGBA(image.Rect(0, 0, s, s))
		img.SetRGBA(i, 1, color.RGBA{R: 200, A: 255}) // tells them apart
		imgs = append(imgs, img)
	}
	b, err := encodeICO(imgs)
	if err != nil {
		t.Fatal(err)
	}
	got := parseICO(t, b)
	if len(got) != len(imgs) {
		t.Fatalf("%d entries; want %d", len(got), len(imgs))
	}
	for i, e := range got {
		s := imgs[i].Bounds().Dx()
		if e.w != s || e.h != s || e.planes != 1 || e.bpp != 32 {
			t.Errorf("entry %d: %dx%d, %d planes, %d bpp; want %dx%[5]d, 1, 32", i, e.w, e.h, e.planes, e.bpp, s)
		}
		if r, _, _, _ := e.img.At(i, 1).RGBA(); r>>8 != 200 {
			t.Errorf("entry %d: pixel (%d,1) red %d; want 200 (entries out of order?)", i, i, r>>8)
		}
	}
	if _, err := encodeICO([]image.Image{image.NewRGBA(image.Rect(0, 0, 257, 257))}); err == nil {
		t.Error("a 257 px image encoded; want an error")
	}
	if _, err := encodeICO(nil); err == nil {
		t.Error("no images encoded; want an error")
	}
}

func TestBadgeLabel(t *testing.T) {
	for n, want := range map[int]string{-1: "", 0: "", 1: "1", 9: "9", 10: "9+", 120: "9+"} {
		if got := badgeLabel(n); got != want {
			t.Errorf("badgeLabel(%d) = %q; want %q", n, got, want)
		}
	}
}

// TestTrayIconPerPlatform: Windows gets an .ico (its systray loads only
// .ico) with a badge; Linux and macOS keep the PNGs.
func TestTrayIconPerPlatform(t *testing.T) {
	png := newTrayIcons(trayIconPNGTitle, trayIcon, trayIconUnread)
	for n, want := range map[int][]byte{0: trayIcon, 1: trayIconUnread, 120: trayIconUnread} {
		if _, b := png.icon(n); !bytes.Equal(b, want) {
			t.Errorf("PNG style, %d unread: not the embedded PNG", n)
		}
	}
	ico := newTrayIcons(trayIconICOBadge, trayIcon, trayIconUnread)
	for _, n := range []int{0, 1, 120} {
		_, b := ico.icon(n)
		if !bytes.HasPrefix(b, []byte{0, 0, 1, 0}) {
			t.Errorf("ICO style, %d unread: starts % x, not an .ico header", n, b[:min(4, len(b))])
		}
		es := parseICO(t, b)
		if len(es) != len(trayICOSizes) {
			t.Fatalf("%d entries; want %d", len(es), len(trayICOSizes))
		}
		for i, e := range es {
			if e.w != trayICOSizes[i] {
				t.Errorf("entry %d is %d px; want %d", i, e.w, trayICOSizes[i])
			}
		}
	}
	wantStyle := trayIconPNGTitle
	switch runtime.GOOS {
	case "windows":
		wantStyle = trayIconICOBadge
	case "linux":
		wantStyle = trayIconPNGBadge
	}
	if trayIconStyleHere != wantStyle || systrayIcons.style != wantStyle {
		t.Errorf("on %s the tray icon style is %d (tray %d); want %d", runtime.GOOS, trayIconStyleHere, systrayIcons.style, wantStyle)
	}
}

func TestTrayIconCached(t *testing.T) {
	ico := newTrayIcons(trayIconICOBadge, trayIcon, trayIconUnread)
	k1, b1 := ico.icon(12)
	k2, b2 := ico.icon(40)
	if k1 != k2 || &b1[0] != &b2[0] {
		t.Errorf("12 and 40 unread: keys %q, %q, or bytes built twice; want one cached 9+ icon", k1, k2)
	}
	if k3, _ := ico.icon(3); k3 == k1 {
		t.Errorf("3 and 12 unread share key %q", k3)
	}
}

// TestTrayBadge: the badge changes only its corner of the icon, at every
// size; the count shows; 10 and more read "9+".
func TestTrayBadge(t *testing.T) {
	ico := newTrayIcons(trayIconICOBadge, trayIcon, trayIconUnread)
	entries := map[int][]icoEntry{}
	raw := map[int][]byte{}
	for _, n := range []int{0, 1, 9, 10, 120} {
		_, raw[n] = ico.icon(n)
		entries[n] = parseICO(t, raw[n])
	}
	if bytes.Equal(raw[1], raw[0]) || bytes.Equal(raw[9], raw[1]) || bytes.Equal(raw[10], raw[9]) {
		t.Error("0, 1, 9 and 10 unread do not all have different icons")
	}
	if !bytes.Equal(raw[10], raw[120]) {
		t.Error("10 and 120 unread: different icons; want both 9+")
	}
	base, err := png.Decode(bytes.NewReader(trayIcon))
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range trayICOSizes {
		plain := scaleIcon(base, s)
		if d := diff(plain, entries[0][i].img); len(d) != 0 {
			t.Errorf("%d px, no unread: %d pixels differ from the plain icon", s, len(d))
		}
		var area [3]image.Rectangle
		for j, n := range []int{1, 9, 10} {
			area[j] = badgeRect(s, badgeLabel(n))
			if !area[j].In(plain.Bounds()) || area[j].Min.Y != 0 || area[j].Max.X != s {
				t.Errorf("%d px, %d unread: badge %v not in the top right corner", s, n, area[j])
			}
			d := diff(plain, entries[n][i].img)
			if len(d) < area[j].Dx()*area[j].Dy()/3 {
				t.Errorf("%d px, %d unread: %d pixels changed; want most of the %v badge", s, n, len(d), area[j])
			}
			for _, p := range d {
				if !p.In(area[j]) {
					t.Errorf("%d px, %d unread: pixel %v outside the badge %v changed", s, n, p, area[j])
					break
				}
			}
			if !hasColour(entries[n][i].img, area[j], badgeRed) || !hasColour(entries[n][i].img, area[j], badgeWhite) {
				t.Errorf("%d px, %d unread: badge lacks red or white", s, n)
			}
		}
		if area[0] != area[1] || area[2].Dx() <= area[1].Dx() {
			t.Errorf("%d px: badges 1 %v, 9 %v, 9+ %v; want 9+ wider", s, area[0], area[1], area[2])
		}
		if len(diff(entries[1][i].img, entries[9][i].img)) == 0 {
			t.Errorf("%d px: 1 and 9 unread look the same", s)
		}
	}
}

// TestTrayPNGBadge: on Linux the icon is a PNG of trayPNGSize, the plain
// picture with no unread replies and the badge in its corner with some
// (panels show no tray title, so the count is on the icon).
func TestTrayPNGBadge(t *testing.T) {
	icons := newTrayIcons(trayIconPNGBadge, trayIcon, trayIconUnread)
	base, err := png.Decode(bytes.NewReader(trayIcon))
	if err != nil {
		t.Fatal(err)
	}
	plain := scaleIcon(base, trayPNGSize)
	imgs := map[int]image.Image{}
	keys := map[int]string{}
	for _, n := range []int{0, 1, 9, 10, 120} {
		k, b := icons.icon(n)
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%d unread: not a PNG: %v", n, err)
		}
		if img.Bounds() != image.Rect(0, 0, trayPNGSize, trayPNGSize) {
			t.Fatalf("%d unread: icon %v; want %d px a side", n, img.Bounds(), trayPNGSize)
		}
		imgs[n], keys[n] = img, k
	}
	if d := diff(plain, imgs[0]); len(d) != 0 {
		t.Errorf("no unread: %d pixels differ from the plain icon", len(d))
	}
	if keys[10] != keys[120] || keys[1] == keys[0] || keys[9] == keys[1] || keys[10] == keys[9] {
		t.Errorf("keys %v; want one per label (none, 1, 9, 9+)", keys)
	}
	for _, n := range []int{1, 9, 10} {
		area := badgeRect(trayPNGSize, badgeLabel(n))
		d := diff(plain, imgs[n])
		if len(d) < area.Dx()*area.Dy()/3 {
			t.Errorf("%d unread: %d pixels changed; want most of the %v badge", n, len(d), area)
		}
		for _, p := range d {
			if !p.In(area) {
				t.Errorf("%d unread: pixel %v outside the badge %v changed", n, p, area)
				break
			}
		}
		if !hasColour(imgs[n], area, badgeRed) || !hasColour(imgs[n], area, badgeWhite) {
			t.Errorf("%d unread: badge lacks red or white", n)
		}
	}
	if len(diff(imgs[1], imgs[9])) == 0 || len(diff(imgs[9], imgs[10])) == 0 {
		t.Error("1, 9 and 9+ unread do not all look different")
	}
}

// TestTrayTitle: the count is the title only where the platform shows the
// title beside the icon; elsewhere the title stays the app's name.
func TestTrayTitle(t *testing.T) {
	st := TrayState{Unread: 3, Title: "3"}
	if got := trayTitle(trayIconPNGTitle, st); got != "3" {
		t.Errorf("title style: %q; want the count", got)
	}
	if got := trayTitle(trayIconPNGTitle, TrayState{}); got != "" {
		t.Errorf("title style, none unread: %q; want none", got)
	}
	for _, style := range []trayIconStyle{trayIconPNGBadge, trayIconICOBadge} {
		if got := trayTitle(style, st); got != "Textbank" {
			t.Errorf("badge style %d: title %q; want Textbank", style, got)
		}
	}
}

// TestBadgeGlyphs: the text is drawn from the font, centred in the pill,
// one unit per font pixel (here "9+" on the 16 px icon, one pixel a unit).
func TestBadgeGlyphs(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 16, 16)) // transparent
	drawBadge(img, "9+")
	r := badgeRect(16, "9+") // 11x9 at (5,0); text at (7,2)
	if r != image.Rect(5, 0, 16, 9) {
		t.Fatalf("badge at %v; want (5,0)-(16,9)", r)
	}
	// Rows 2..6, columns 7..13 hold "9", a gap and "+": white where
	// the font has a pixel, red where it does not.
	want := []string{
		"###....",
		"#.#..#.",
		"###.###",
		"..#..#.",
		"###....",
	}
	for row, line := range want {
		for col := range line {
			wantC := badgeRed
			if line[col] == '#' {
				wantC = badgeWhite
			}
			if c := img.RGBAAt(7+col, 2+row); c != wantC {
				t.Errorf("text pixel (%d,%d) = %v; want %v", col, row, c, wantC)
			}
		}
	}
}

func diff(a, b image.Image) []image.Point {
	var d []image.Point
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			if color.NRGBAModel.Convert(a.At(x, y)) != color.NRGBAModel.Convert(b.At(x, y)) {
				d = append(d, image.Pt(x, y))
			}
		}
	}
	return d
}

func hasColour(img image.Image, r image.Rectangle, c color.RGBA) bool {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if color.RGBAModel.Convert(img.At(x, y)) == c {
				return true
			}
		}
	}
	return false
}
