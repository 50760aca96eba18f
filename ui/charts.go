package ui

import (
	"bytes"
	"image/color"
	"sort"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"

	"github.com/ligne-app/ligne/selfcare"
)

// Chart sizes in pixels; the image scales to its slot.
const (
	chartWidth  = 720
	chartHeight = 240
)

// chartImage renders a go-chart chart to PNG and shows it as an image.
func chartImage(name string, min fyne.Size, render func(*bytes.Buffer) error) fyne.CanvasObject {
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return muted(err.Error())
	}
	img := canvas.NewImageFromResource(fyne.NewStaticResource(name+".png", buf.Bytes()))
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(min)
	return img
}

// chartColors are the theme's text color and Ligne's brand color.
func (u *App) chartColors() (fg, brand drawing.Color) {
	v := u.fyneApp.Settings().ThemeVariant()
	return toDrawing(u.fyneApp.Settings().Theme().Color(theme.ColorNameForeground, v)), toDrawing(colorBrand)
}

func toDrawing(c color.Color) drawing.Color {
	r, g, b, a := c.RGBA()
	return drawing.Color{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: uint8(a >> 8)}
}

// callsPerDayChart is a bar per day of the month.
func (u *App) callsPerDayChart(c selfcare.Consumption) fyne.CanvasObject {
	fg, brand := u.chartColors()
	bars := make([]chart.Value, len(c.CallsPerDay))
	for i, n := range c.CallsPerDay {
		label := ""
		if i == 0 || (i+1)%5 == 0 {
			label = strconv.Itoa(i + 1)
		}
		bars[i] = chart.Value{Value: float64(n), Label: label, Style: chart.Style{FillColor: brand, StrokeColor: brand}}
	}
	bc := chart.BarChart{
		Width: chartWidth, Height: chartHeight, BarWidth: chartWidth/len(bars) - 6, BarSpacing: 4,
		Background: chart.Style{FillColor: drawing.ColorTransparent}, Canvas: chart.Style{FillColor: drawing.ColorTransparent},
		XAxis: chart.Style{FontColor: fg, StrokeColor: fg},
		YAxis: chart.YAxis{Style: chart.Style{FontColor: fg, StrokeColor: fg}, Ticks: countTicks(c.CallsPerDay)},
		Bars:  bars,
	}
	return chartImage("calls-per-day", fyne.NewSize(300, 150), func(b *bytes.Buffer) error { return bc.Render(chart.PNG, b) })
}

// countTicks are whole-number ticks from 0 to the busiest day.
func countTicks(perDay []int) []chart.Tick {
	top := 1
	for _, n := range perDay {
		top = max(top, n)
	}
	step := max(1, (top+4)/5)
	var ticks []chart.Tick
	for v := 0; v <= top+step-1; v += step {
		ticks = append(ticks, chart.Tick{Value: float64(v), Label: strconv.Itoa(v)})
	}
	return ticks
}

// classColors gives each destination class its own color.
var classColors = map[selfcare.DestClass]drawing.Color{
	selfcare.DestInternal: {R: 0x12, G: 0x8C, B: 0x93, A: 0xff}, selfcare.DestFixedFR: {R: 0x3B, G: 0x7D, B: 0xD8, A: 0xff},
	selfcare.DestMobileFR: {R: 0x2E, G: 0x9E, B: 0x5B, A: 0xff}, selfcare.DestInternational: {R: 0xE0, G: 0x8A, B: 0x12, A: 0xff},
	selfcare.DestSpecial: {R: 0xD6, G: 0x3B, B: 0x3B, A: 0xff},
}

// classChart is a donut of the talk time by destination class, with a
// legend giving each class's time.
func (u *App) classChart(c selfcare.Consumption) fyne.CanvasObject {
	classes := make([]selfcare.DestClass, 0, len(c.ByClass))
	for k, d := range c.ByClass {
		if d > 0 {
			classes = append(classes, k)
		}
	}
	if len(classes) == 0 {
		return muted(u.T("consumption.top.none"))
	}
	sort.Slice(classes, func(i, j int) bool { return c.ByClass[classes[i]] > c.ByClass[classes[j]] })
	values := make([]chart.Value, 0, len(classes))
	legend := container.NewVBox()
	for _, k := range classes {
		values = append(values, chart.Value{Value: c.ByClass[k].Seconds(),
			Style: chart.Style{FillColor: classColors[k], StrokeColor: drawing.ColorTransparent}})
		legend.Add(chip(classColors[k], u.T("class."+string(k))+" · "+formatDuration(c.ByClass[k].Round(time.Second))))
	}
	dc := chart.DonutChart{Width: chartHeight, Height: chartHeight, Values: values,
		Background: chart.Style{FillColor: drawing.ColorTransparent}, Canvas: chart.Style{FillColor: drawing.ColorTransparent}}
	donut := chartImage("by-class", fyne.NewSize(150, 150), func(b *bytes.Buffer) error { return dc.Render(chart.PNG, b) })
	return container.NewBorder(nil, nil, donut, nil, container.NewCenter(legend))
}
