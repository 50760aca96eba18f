package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// responsiveGrid lays its children in as many equal columns as the width
// allows without making any column narrower than the widest child's
// minimum, up to maxCols. Its minimum width is that of one column, so it
// never forces the window wider; its minimum height follows the column
// count of the last layout.
type responsiveGrid struct {
	maxCols int
	cols    int
}

// grid returns a container using responsiveGrid.
func grid(maxCols int, objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(&responsiveGrid{maxCols: maxCols, cols: 1}, objs...)
}

func (g *responsiveGrid) widest(objs []fyne.CanvasObject) float32 {
	var w float32
	for _, o := range objs {
		if o.Visible() {
			w = max(w, o.MinSize().Width)
		}
	}
	return w
}

// columnsFor returns the column count for width.
func (g *responsiveGrid) columnsFor(objs []fyne.CanvasObject, width float32) int {
	pad := theme.Padding()
	cols := int((width + pad) / (g.widest(objs) + pad))
	return max(1, min(cols, g.maxCols, max(len(objs), 1)))
}

// rowHeights returns the height of each row for cols columns.
func (g *responsiveGrid) rowHeights(objs []fyne.CanvasObject, cols int) []float32 {
	var rows []float32
	for i, o := range objs {
		if i%cols == 0 {
			rows = append(rows, 0)
		}
		rows[len(rows)-1] = max(rows[len(rows)-1], o.MinSize().Height)
	}
	return rows
}

// MinSize is one column wide and as tall as the last layout's rows.
func (g *responsiveGrid) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	rows := g.rowHeights(objs, g.cols)
	for _, r := range rows {
		h += r
	}
	if len(rows) > 1 {
		h += theme.Padding() * float32(len(rows)-1)
	}
	return fyne.NewSize(g.widest(objs), h)
}

// Layout places the children row by row.
func (g *responsiveGrid) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	g.cols = g.columnsFor(objs, size.Width)
	pad := theme.Padding()
	cellW := (size.Width - pad*float32(g.cols-1)) / float32(g.cols)
	rows := g.rowHeights(objs, g.cols)
	var y float32
	for i, o := range objs {
		r, c := i/g.cols, i%g.cols
		if c == 0 && r > 0 {
			y += rows[r-1] + pad
		}
		o.Move(fyne.NewPos(float32(c)*(cellW+pad), y))
		o.Resize(fyne.NewSize(cellW, rows[r]))
	}
}
