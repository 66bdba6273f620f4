"""The wiring diagram of the default pinout, drawn from the same tables the code uses.

``docs/images/buttons-wiring.svg`` is this module's output (a test keeps them equal)::

    python -m appliance.buttons.wiring > docs/images/buttons-wiring.svg

The 40-pin header is drawn from above (pin 1 top left); components on the left use pins of the
left (odd) column, those on the right the even column, so no wire crosses another.
"""

from __future__ import annotations

from html import escape

from appliance.buttons.layout import DEFAULT_BUTTONS, DEFAULT_ENCODER, DEFAULT_LEDS

HEADER = (
    "3V3", "5V", "2", "5V", "3", "GND", "4", "14", "GND", "15",
    "17", "18", "27", "GND", "22", "23", "3V3", "24", "10", "GND",
    "9", "25", "11", "8", "GND", "7", "ID_SD", "ID_SC", "5", "GND",
    "6", "12", "13", "GND", "19", "16", "26", "20", "GND", "21",
)  # fmt: skip
"""Physical pin n (1-40) -> what it carries; a number is a BCM GPIO."""

XL, XR, PIN_L, PIN_R = 440, 680, 545, 575
WIDTH, HEIGHT = 1160, 830
LEFT_BUS, RIGHT_BUS = 60, 1100
LED_COLOURS = {"ready": "#2e9d3a", "playing": "#e0b000", "attention": "#d22"}
WIRE = {"button": "#1f6fd1", "encoder": "#8a3ab9", "led": "#c45a00", "gnd": "#222", "3v3": "#d00"}
LABELS = {
    "play": ("PLAY / PAUSE", ""),
    "skip": ("SKIP", "hold: restart the song"),
    "key_down": ("KEY DOWN", ""),
    "key_up": ("KEY UP", "hold: original key"),
    "guide": ("GUIDE VOCAL on/off", ""),
    "next": ("START NEXT SINGER", ""),
}


def physical(bcm: int | str) -> int:
    """The header pin (1-40) of a BCM GPIO number or a name such as 'GND' (the first one)."""
    return HEADER.index(str(bcm)) + 1


def row_y(pin: int) -> int:
    """The height of a header pin's row."""
    return 60 + (pin + 1) // 2 * 30


class Svg:
    """A tiny SVG writer."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def add(self, tag: str, text: str = "", **attrs: object) -> None:
        """One element; underscores in attribute names become dashes."""
        attr = " ".join(f'{k.rstrip("_").replace("_", "-")}="{v}"' for k, v in attrs.items())
        body = f">{escape(text)}</{tag}>" if text else "/>"
        self.parts.append(f"<{tag} {attr}{body}")

    def wire(self, points: list[tuple[int, int]], colour: str) -> None:
        """A polyline wire."""
        path = " ".join(f"{x},{y}" for x, y in points)
        self.add("polyline", points=path, fill="none", stroke=colour, stroke_width=3)

    def text(self, x: int, y: int, text: str, size: int = 13, **attrs: object) -> None:
        """Text, centred unless ``text_anchor`` says otherwise."""
        attrs.setdefault("text_anchor", "middle")
        self.add("text", text, x=x, y=y, font_size=size, **attrs)


def _header(svg: Svg, used: dict[int, str]) -> None:
    svg.add("rect", x=XL, y=70, width=XR - XL, height=620, rx=8, fill="#f4f4f4", stroke="#555")
    svg.text((XL + XR) // 2, 62, "40-pin header (from above)", 13, font_weight="bold")
    for pin in range(1, 41):
        name = HEADER[pin - 1]
        label = f"GPIO{name}" if name.isdigit() else name
        colour = used.get(pin) or {"GND": "#222", "3V3": "#d00", "5V": "#d00"}.get(name, "#bbb")
        x, y = (PIN_L, row_y(pin)) if pin % 2 else (PIN_R, row_y(pin))
        svg.add("circle", cx=x, cy=y, r=8, fill=colour, stroke="#333")
        svg.text(x, y + 4, str(pin), 8, fill="#fff" if pin in used or name == "GND" else "#000")
        weight = "bold" if pin in used else "normal"
        if pin % 2:
            svg.text(x - 14, y + 4, label, 11, text_anchor="end", font_weight=weight)
        else:
            svg.text(x + 14, y + 4, label, 11, text_anchor="start", font_weight=weight)


def _button(svg: Svg, name: str, x: int, y: int, bus_x: int) -> None:
    """A push button between GND (``bus_x``) and a terminal at ``x``..``x + 50``."""
    svg.wire([(bus_x, y), (x, y)], WIRE["gnd"])
    svg.add("circle", cx=x, cy=y, r=4, fill="#fff", stroke="#000", stroke_width=2)
    svg.add("circle", cx=x + 50, cy=y, r=4, fill="#fff", stroke="#000", stroke_width=2)
    svg.add("line", x1=x - 2, y1=y - 12, x2=x + 52, y2=y - 12, stroke="#000", stroke_width=3)
    svg.add("line", x1=x + 25, y1=y - 12, x2=x + 25, y2=y - 24, stroke="#000", stroke_width=2)
    svg.add("line", x1=x + 17, y1=y - 24, x2=x + 33, y2=y - 24, stroke="#000", stroke_width=2)
    title, hold = LABELS.get(name, (name, ""))
    svg.text(x + 25, y - 32, title, 13, font_weight="bold")
    if hold:
        svg.text(x + 25, y + 20, hold, 11, font_style="italic")


def _led(svg: Svg, name: str, y: int, bus_x: int, gpio_x: int) -> None:
    """GPIO -> 330 ohm -> LED anode (+); cathode -> GND. Drawn between ``gpio_x`` and the bus."""
    sign = 1 if gpio_x > bus_x else -1
    res_x = gpio_x - sign * 150
    led_x = res_x - sign * 120
    svg.wire([(gpio_x, y), (bus_x, y)], WIRE["led"])
    svg.add("rect", x=res_x - 25, y=y - 9, width=50, height=18, fill="#fff", stroke="#000")
    svg.text(res_x, y + 24, "330 Ω", 11)
    tip, back = led_x - sign * 14, led_x + sign * 14
    points = f"{back},{y - 13} {back},{y + 13} {tip},{y}"
    svg.add("polygon", points=points, fill=LED_COLOURS[name], stroke="#000", stroke_width=2)
    svg.add("line", x1=tip, y1=y - 13, x2=tip, y2=y + 13, stroke="#000", stroke_width=3)
    svg.text(back + sign * 6, y + 28, "+", 14, font_weight="bold")
    svg.text(led_x, y - 20, f"LED {name.upper()}", 13, font_weight="bold")


def _gpio_label(svg: Svg, x: int, y: int, bcm: int, anchor: str) -> None:
    svg.text(x, y - 6, f"GPIO{bcm} · pin {physical(bcm)}", 11, text_anchor=anchor, fill="#444")


def _left(svg: Svg) -> None:
    channels = [(425, 120), (410, 200), (395, 280)]
    for (name, entry), (cx, y) in zip(list(DEFAULT_BUTTONS.items())[:3], channels, strict=True):
        pin_y = row_y(physical(entry["pin"]))
        svg.wire([(XL, pin_y), (cx, pin_y), (cx, y), (220, y)], WIRE["button"])
        _button(svg, name, 170, y, LEFT_BUS)
        _gpio_label(svg, 232, y, entry["pin"], "start")
    _encoder(svg)
    led_y = row_y(physical(DEFAULT_LEDS["attention"]))
    _led(svg, "attention", led_y, LEFT_BUS, XL)
    _gpio_label(svg, XL - 10, led_y, DEFAULT_LEDS["attention"], "end")
    gnd_y = row_y(39)
    svg.wire([(XL, gnd_y), (LEFT_BUS, gnd_y), (LEFT_BUS, 120)], WIRE["gnd"])
    svg.text(XL - 10, gnd_y - 6, "GND · pin 39", 11, text_anchor="end")


def _encoder(svg: Svg) -> None:
    top, right = 360, 330
    svg.add(
        "rect", x=100, y=top, width=right - 100, height=160, rx=6, fill="#e8f0e0", stroke="#000"
    )
    svg.add("circle", cx=150, cy=top + 65, r=30, fill="#bbb", stroke="#000", stroke_width=2)
    svg.add("circle", cx=150, cy=top + 65, r=10, fill="#777")
    svg.text(150, top + 122, "turn: volume", 10, font_style="italic")
    svg.text(150, top + 136, "push: mute", 10, font_style="italic")
    svg.text(150, top + 150, "hold: mic / echo", 10, font_style="italic")
    svg.text(215, top - 8, "VOLUME KNOB (KY-040)", 13, font_weight="bold")
    terminals = [("+", 380, 370, 17, "3V3 · pin 17")]
    for key, label, y, channel in (("a", "CLK", 410, 425), ("b", "DT", 440, 410)):
        terminals.append((label, y, channel, physical(DEFAULT_ENCODER[key]), ""))
    push = DEFAULT_ENCODER["push"]
    terminals.append(("SW", 470, 395, physical(push), ""))
    for label, y, channel, pin, text in terminals:
        colour = WIRE["3v3"] if label == "+" else WIRE["encoder"]
        pin_y = row_y(pin)
        svg.wire([(XL, pin_y), (channel, pin_y), (channel, y), (right, y)], colour)
        where = text or f"GPIO{HEADER[pin - 1]} · pin {pin}"
        svg.text(right - 6, y + 4, f"{label}  {where}", 11, text_anchor="end", font_weight="bold")
    svg.text(XL - 10, row_y(17) - 6, "3.3 V, not 5 V", 11, text_anchor="end", fill="#d00")
    svg.wire([(right, 500), (345, 500), (345, 540), (LEFT_BUS, 540)], WIRE["gnd"])
    svg.text(right - 6, 504, "GND", 11, text_anchor="end", font_weight="bold")


def _right(svg: Svg) -> None:
    channels = [(695, 120), (710, 200), (725, 280)]
    for (name, entry), (cx, y) in zip(list(DEFAULT_BUTTONS.items())[3:], channels, strict=True):
        pin_y = row_y(physical(entry["pin"]))
        svg.wire([(XR, pin_y), (cx, pin_y), (cx, y), (890, y)], WIRE["button"])
        _button(svg, name, 890, y, RIGHT_BUS)
        _gpio_label(svg, 878, y, entry["pin"], "end")
    for name in ("ready", "playing"):
        y = row_y(physical(DEFAULT_LEDS[name]))
        _led(svg, name, y, RIGHT_BUS, XR)
        _gpio_label(svg, XR + 10, y, DEFAULT_LEDS[name], "start")
    gnd_y = row_y(34)
    svg.wire([(XR, gnd_y), (RIGHT_BUS, gnd_y)], WIRE["gnd"])
    svg.wire([(RIGHT_BUS, 120), (RIGHT_BUS, row_y(physical(DEFAULT_LEDS["playing"])))], "#222")
    svg.text(XR + 10, gnd_y - 6, "GND · pin 34", 11, text_anchor="start")


NOTES = (
    "Buttons: momentary, normally open, between the GPIO and GND. Internal pull-ups: no resistors.",
    "Knob: KY-040 style module; + to 3.3 V only. Turns the wrong way? Swap a and b in the config.",
    "LEDs: long leg (anode) to the GPIO through 330 Ω, short leg (cathode, flat side) to GND.",
    "Free for a HAT: I2C (GPIO2/3), SPI (7-11), UART (14/15), I2S DAC (18-21). Numbers are BCM.",
)


def render() -> str:
    """The whole diagram as SVG text."""
    svg = Svg()
    svg.add("rect", x=0, y=0, width=WIDTH, height=HEIGHT, fill="#fff")
    svg.text(WIDTH // 2, 30, "Karaoke box: default buttons, volume knob and LEDs", 20)
    used = {physical(e["pin"]): WIRE["button"] for e in DEFAULT_BUTTONS.values()}
    used |= {physical(DEFAULT_ENCODER[k]): WIRE["encoder"] for k in ("a", "b", "push")}
    used |= {physical(pin): LED_COLOURS[name] for name, pin in DEFAULT_LEDS.items()}
    used |= {17: "#d00", 34: "#222", 39: "#222"}
    _header(svg, used)
    _left(svg)
    _right(svg)
    for i, note in enumerate(NOTES):
        svg.text(40, 730 + i * 22, note, 13, text_anchor="start")
    body = "\n".join(svg.parts)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="DejaVu Sans, Arial, sans-serif">\n'
        f"{body}\n</svg>\n"
    )


if __name__ == "__main__":
    print(render(), end="")
