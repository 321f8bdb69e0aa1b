//! The graph canvas: a camera (pan and zoom over layout coordinates) and the painting of
//! edges, route labels and node cards. Cards are real widgets with accessible labels, so
//! they can be clicked by people, screen readers and tests alike.

use egui::epaint::CornerRadius;
use egui::text::{LayoutJob, TextWrapping};
use egui::{
    Align2, Color32, FontId, Pos2, Rect, Response, Role, Sense, Shape, Stroke, TextFormat, Ui,
    Vec2, WidgetInfo, pos2, vec2,
};

use crate::ui::theme::Tokens;
use crate::workflow::{Graph, Layout, NodeKind, Severity, UnresolvedRef};

/// Empty space around the drawing, in layout units.
const MARGIN: f32 = 28.0;
/// The zoom a selected node is brought to, so its text can be read.
pub const MIN_FIT_ZOOM: f32 = 0.7;
const MAX_FIT_ZOOM: f32 = 1.0;
pub const ZOOM_RANGE: (f32, f32) = (0.05, 3.0);
/// The zoom at which a card has room for its title and a summary row at 11 points.
const READABLE_ZOOM: f32 = 0.5;
/// Workflows up to this many nodes open readable even when that means scrolling.
const READABLE_FIT_MAX_NODES: usize = 12;
/// The smallest size any text on the canvas is drawn at, in points, however far out the zoom
/// is: titles, summaries, route labels and the failure stubs stay readable at fit.
const MIN_TEXT_POINTS: f32 = 11.0;

/// A font `points` large at zoom 1, never smaller than [`MIN_TEXT_POINTS`] on screen.
fn readable(points: f32, zoom: f32) -> f32 {
    (points * zoom).max(MIN_TEXT_POINTS)
}
/// Route labels longer than this are cut on the canvas; the inspector shows them in full.
const MAX_LABEL_CHARS: usize = 34;

/// Which part of the layout is on screen: `offset` is where the layout's origin lands,
/// relative to the canvas' top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Camera {
    pub zoom: f32,
    pub offset: Vec2,
}

impl Default for Camera {
    fn default() -> Self {
        Self {
            zoom: 1.0,
            offset: Vec2::splat(MARGIN),
        }
    }
}

impl Camera {
    pub fn screen_pos(&self, canvas: Rect, point: Pos2) -> Pos2 {
        canvas.min + self.offset + point.to_vec2() * self.zoom
    }

    pub fn rect_to_screen(&self, canvas: Rect, min: Pos2, size: Vec2) -> Rect {
        Rect::from_min_size(self.screen_pos(canvas, min), size * self.zoom)
    }

    /// Shows the whole layout, at any window size (never larger than natural size). Text
    /// never shrinks below 11 points. A workflow of up to a dozen nodes that would only fit
    /// below [`READABLE_ZOOM`] (a long chain) opens at that zoom instead, from its top and
    /// centred, so every card keeps its summary; the wheel scrolls to the rest.
    pub fn fit(canvas: Rect, layout: &Layout) -> Self {
        let all = Self::fit_all(canvas, layout);
        if layout.nodes.len() > READABLE_FIT_MAX_NODES || all.zoom >= READABLE_ZOOM {
            return all;
        }
        let zoom = READABLE_ZOOM;
        let width = (layout.width + 2.0 * MARGIN) * zoom;
        let x = ((canvas.width() - width) / 2.0).max(0.0) + MARGIN * zoom;
        Self {
            zoom,
            offset: vec2(x, MARGIN * zoom),
        }
    }

    /// Shows the whole layout, zooming out as far as needed (for the PNG export).
    pub fn fit_all(canvas: Rect, layout: &Layout) -> Self {
        let size = vec2(layout.width, layout.height) + Vec2::splat(2.0 * MARGIN);
        let fitting = (canvas.width() / size.x).min(canvas.height() / size.y);
        let zoom = if fitting.is_finite() && fitting > 0.0 {
            fitting.clamp(ZOOM_RANGE.0, MAX_FIT_ZOOM)
        } else {
            1.0
        };
        let scaled = size * zoom;
        Self {
            zoom,
            offset: (canvas.size() - scaled) / 2.0 + Vec2::splat(MARGIN * zoom),
        }
    }

    /// Zooms by `factor`, keeping the layout point under `anchor` (a screen position) still.
    pub fn zoom_about(&mut self, canvas: Rect, factor: f32, anchor: Pos2) {
        let zoom = (self.zoom * factor).clamp(ZOOM_RANGE.0, ZOOM_RANGE.1);
        let local = anchor - canvas.min;
        let point = (local - self.offset) / self.zoom;
        self.zoom = zoom;
        self.offset = local - point * zoom;
    }

    /// Moves the view as little as needed for `rect` (layout units) to be wholly on screen,
    /// with a margin.
    pub fn reveal(&mut self, canvas: Rect, min: Pos2, size: Vec2) {
        let shown = canvas.shrink(12.0);
        let card = self.rect_to_screen(canvas, min, size);
        let mut shift = Vec2::ZERO;
        if card.right() > shown.right() {
            shift.x = shown.right() - card.right();
        }
        if card.left() + shift.x < shown.left() {
            shift.x = shown.left() - card.left();
        }
        if card.bottom() > shown.bottom() {
            shift.y = shown.bottom() - card.bottom();
        }
        if card.top() + shift.y < shown.top() {
            shift.y = shown.top() - card.top();
        }
        self.offset += shift;
    }

    /// Puts a layout point in the middle of the canvas, zooming in to a readable level if
    /// needed.
    pub fn center_on(&mut self, canvas: Rect, point: Pos2) {
        self.zoom = self.zoom.max(MIN_FIT_ZOOM);
        self.offset = canvas.size() / 2.0 - point.to_vec2() * self.zoom;
    }
}

/// What the canvas draws.
pub struct CanvasData<'a> {
    pub graph: &'a Graph,
    pub layout: &'a Layout,
    pub summaries: &'a [String],
    /// The worst finding per node, for the red or amber outline.
    pub worst: &'a [Option<Severity>],
    pub selected: Option<usize>,
    /// A simulated run: visited nodes are numbered, taken edges bold, the rest dimmed.
    pub run: Option<&'a super::simulate_panel::RunOverlay>,
}

/// What happened on the canvas this frame.
pub struct CanvasOutput {
    /// The minimap was drawn (the graph is larger than the view).
    pub minimap: bool,
    pub rect: Rect,
    /// How many node cards were on screen and drawn.
    pub drawn_cards: usize,
    /// How many of them had room for their summary (a response's: its result).
    pub summarised_cards: usize,
    pub clicked_node: Option<usize>,
    pub clicked_background: bool,
}

/// The label a node card is found by: "Node nd_verify".
pub fn card_label(id: &str) -> String {
    crate::tr!("graph-card-label", id = id)
}

/// Draws the canvas into all of `ui`'s space; pans on drag and zooms on wheel or pinch.
pub fn canvas_ui(
    ui: &mut Ui,
    camera: &mut Camera,
    data: &CanvasData<'_>,
    tokens: &Tokens,
) -> CanvasOutput {
    let (rect, background) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
    if background.dragged() {
        camera.offset += background.drag_delta();
    }
    if background.hovered() {
        let (zoom_delta, scroll, pointer) =
            ui.input(|i| (i.zoom_delta(), i.smooth_scroll_delta, i.pointer.hover_pos()));
        let anchor = pointer.unwrap_or(rect.center());
        // egui's convention: the wheel (and two-finger scroll) pans; Ctrl+wheel and pinch
        // arrive as zoom.
        camera.offset += scroll;
        if (zoom_delta - 1.0).abs() > f32::EPSILON {
            camera.zoom_about(rect, zoom_delta, anchor);
        }
    }
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals().clone();
    painter.rect_filled(rect, 0.0, visuals.extreme_bg_color);

    draw_edges(ui, &painter, camera, rect, data);
    let mut clicked_node = None;
    let mut drawn_cards = 0;
    let mut summarised_cards = 0;
    for (i, node) in data.graph.nodes.iter().enumerate() {
        let placed = &data.layout.nodes[i];
        let card = camera.rect_to_screen(
            rect,
            pos2(placed.x, placed.y),
            vec2(placed.width, placed.height),
        );
        if !card.intersects(rect) {
            continue;
        }
        drawn_cards += 1;
        let response = ui.interact(
            card,
            ui.scope_id().with(("workflow_card", i)),
            Sense::click(),
        );
        let label = card_label(&node.id);
        let selected = data.selected == Some(i);
        response.widget_info(|| WidgetInfo::selected(Role::Button, true, selected, &label));
        if draw_card(ui, &painter, camera.zoom, card, i, data, tokens) {
            summarised_cards += 1;
        }
        let response =
            hover_text(response, data, i).on_hover_cursor(egui::CursorIcon::PointingHand);
        if response.clicked() {
            clicked_node = Some(i);
        }
    }
    let minimap = minimap_ui(ui, camera, rect, data, tokens);
    CanvasOutput {
        rect,
        drawn_cards,
        summarised_cards,
        clicked_node,
        clicked_background: background.clicked(),
        minimap,
    }
}

/// Largest size of the minimap, in points.
const MINIMAP_SIZE: Vec2 = vec2(180.0, 130.0);

/// When the graph is larger than the view: the whole graph small in a corner, with the part on
/// screen outlined; a click or a drag there moves the view. Returns whether it was drawn.
fn minimap_ui(
    ui: &mut Ui,
    camera: &mut Camera,
    canvas: Rect,
    data: &CanvasData<'_>,
    tokens: &Tokens,
) -> bool {
    let layout = data.layout;
    let whole = Rect::from_min_size(
        pos2(-MARGIN, -MARGIN),
        vec2(layout.width, layout.height) + Vec2::splat(2.0 * MARGIN),
    );
    let on_screen = Rect::from_min_size(
        pos2(-camera.offset.x, -camera.offset.y) / camera.zoom,
        canvas.size() / camera.zoom,
    );
    if on_screen.contains_rect(whole) || canvas.width() < 2.0 * MINIMAP_SIZE.x {
        return false;
    }
    let scale = (MINIMAP_SIZE.x / whole.width()).min(MINIMAP_SIZE.y / whole.height());
    let size = whole.size() * scale;
    let frame = Rect::from_min_size(canvas.max - size - vec2(12.0, 12.0), size);
    let to_map = |p: Pos2| frame.min + (p - whole.min) * scale;
    let visuals = ui.visuals().clone();
    let painter = ui.painter_at(canvas);
    painter.rect_filled(frame.expand(4.0), 4.0, visuals.faint_bg_color);
    painter.rect_stroke(
        frame.expand(4.0),
        4.0,
        visuals.widgets.noninteractive.bg_stroke,
        egui::StrokeKind::Outside,
    );
    for (i, node) in data.graph.nodes.iter().enumerate() {
        let placed = &layout.nodes[i];
        let card = Rect::from_min_max(
            to_map(pos2(placed.x, placed.y)),
            to_map(pos2(placed.x + placed.width, placed.y + placed.height)),
        );
        painter.rect_filled(card, 1.0, tokens.node_accent(node.kind));
    }
    let view = Rect::from_min_max(to_map(on_screen.min), to_map(on_screen.max)).intersect(frame);
    painter.rect_stroke(
        view,
        1.0,
        Stroke::new(1.5, visuals.selection.stroke.color),
        egui::StrokeKind::Inside,
    );
    let response = ui.interact(
        frame.expand(4.0),
        ui.scope_id().with("workflow_minimap"),
        Sense::click_and_drag(),
    );
    let minimap_label = crate::tr!("graph-minimap");
    response.widget_info(|| WidgetInfo::labeled(Role::Image, true, &minimap_label));
    if (response.clicked() || response.dragged())
        && let Some(pointer) = response.interact_pointer_pos()
    {
        let point = whole.min + (pointer - frame.min) / scale;
        camera.offset = canvas.size() / 2.0 - point.to_vec2() * camera.zoom;
    }
    true
}

fn hover_text(response: Response, data: &CanvasData<'_>, i: usize) -> Response {
    let node = &data.graph.nodes[i];
    response.on_hover_text(format!(
        "{} {}\n{}",
        node.kind.label(),
        node.id,
        data.summaries[i]
    ))
}

/// Draws one card; returns whether its summary (a response's: its result) is on it.
fn draw_card(
    ui: &Ui,
    painter: &egui::Painter,
    zoom: f32,
    card: Rect,
    i: usize,
    data: &CanvasData<'_>,
    tokens: &Tokens,
) -> bool {
    let visuals = ui.visuals();
    let node = &data.graph.nodes[i];
    let radius = 6.0 * zoom;
    if data.selected == Some(i) {
        painter.rect_stroke(
            card.expand(5.0 * zoom),
            radius + 4.0 * zoom,
            Stroke::new(3.0, visuals.selection.stroke.color),
            egui::StrokeKind::Outside,
        );
    }
    painter.rect_filled(card, radius, tokens.node_fill(node.kind));
    let stripe = Rect::from_min_size(card.min, vec2(card.width(), 5.0 * zoom));
    let top_corners = CornerRadius {
        nw: radius as u8,
        ne: radius as u8,
        sw: 0,
        se: 0,
    };
    painter.rect_filled(stripe, top_corners, tokens.node_accent(node.kind));
    let outline = match data.worst[i] {
        Some(Severity::Error) => Stroke::new(2.5, tokens.error),
        Some(Severity::Warning) => Stroke::new(2.5, tokens.warning),
        None => visuals.widgets.noninteractive.bg_stroke,
    };
    painter.rect_stroke(card, radius, outline, egui::StrokeKind::Inside);
    if node.kind == NodeKind::Response {
        painter.rect_stroke(
            card.shrink(4.0 * zoom),
            radius * 0.6,
            Stroke::new(1.0, visuals.weak_text_color()),
            egui::StrokeKind::Inside,
        );
    }

    let pad = (10.0 * zoom).max(5.0);
    let text = visuals.strong_text_color();
    let inner_width = (card.width() - 2.0 * pad).max(8.0);
    let inner = card.shrink2(vec2(pad, (6.0 * zoom).max(3.0)));
    let clip = painter.with_clip_rect(card.intersect(painter.clip_rect()));
    let title_text = node.kind.label();
    let badge = if data.graph.entry == Some(i) {
        Some(crate::tr!("graph-badge-entry"))
    } else if node.kind == NodeKind::Response {
        Some(crate::tr!("graph-badge-end"))
    } else {
        None
    };
    // The badge only where the title keeps room beside it.
    let badge = badge.filter(|_| zoom >= 0.8);
    let mut y = inner.top();
    let title = single_line(
        &title_text,
        FontId::proportional(readable(15.0, zoom)),
        text,
        if badge.is_some() {
            inner_width - 48.0 * zoom
        } else {
            inner_width
        },
        1,
    );
    let title = painter.layout_job(title);
    let title_height = title.size().y;
    clip.galley(pos2(inner.left(), y), title, text);
    if let Some(badge) = badge {
        let galley = painter.layout_no_wrap(
            badge,
            FontId::proportional(readable(11.0, zoom)),
            visuals.strong_text_color(),
        );
        let size = galley.size() + vec2(10.0, 4.0) * zoom;
        let at = Rect::from_min_size(pos2(inner.right() - size.x, y), size);
        clip.rect_filled(at, 8.0 * zoom, visuals.extreme_bg_color);
        clip.rect_stroke(
            at,
            8.0 * zoom,
            Stroke::new(1.0, tokens.node_accent(node.kind)),
            egui::StrokeKind::Inside,
        );
        clip.galley(at.min + vec2(5.0, 2.0) * zoom, galley, text);
    }
    y += title_height + 2.0 * zoom;
    // The id only at a zoom where it is large enough to read.
    if 11.5 * zoom >= MIN_TEXT_POINTS {
        let id_job = single_line(
            &node.id,
            FontId::monospace(11.5 * zoom),
            visuals.weak_text_color(),
            inner_width,
            1,
        );
        let id_galley = painter.layout_job(id_job);
        let id_height = id_galley.size().y;
        if y + id_height <= inner.bottom() {
            clip.galley(pos2(inner.left(), y), id_galley, text);
            y += id_height + 2.0 * zoom;
        }
    }
    // The summary (a response's result) in as many of its two rows as the card has room for.
    let mut summarised = false;
    {
        let font = FontId::proportional(readable(13.0, zoom));
        let row = painter.fonts_mut(|f| f.row_height(&font));
        let rows = (((inner.bottom() - y) / row).floor().max(0.0) as usize).min(2);
        if rows > 0 {
            summarised = true;
            let summary = single_line(
                &data.summaries[i],
                font,
                visuals.text_color(),
                inner_width,
                rows,
            );
            clip.galley(pos2(inner.left(), y), painter.layout_job(summary), text);
        }
    }
    if node.kind.can_fail() {
        failure_stub(painter, card, zoom, tokens);
    }
    if let Some(run) = data.run {
        draw_run_marks(painter, card, zoom, i, run, visuals, tokens);
    }
    summarised
}

/// A simulated run on a card: dimmed when not visited; else its step numbers in a badge on the
/// top-left corner, and, on the node where the run ended, an outline in the outcome's colour.
fn draw_run_marks(
    painter: &egui::Painter,
    card: Rect,
    zoom: f32,
    i: usize,
    run: &super::simulate_panel::RunOverlay,
    visuals: &egui::Visuals,
    tokens: &Tokens,
) {
    let Some(steps) = run.steps_at.get(&i) else {
        painter.rect_filled(
            card,
            6.0 * zoom,
            visuals.extreme_bg_color.gamma_multiply(0.65),
        );
        return;
    };
    if let Some((end, outcome)) = run.end
        && end == i
    {
        let colour = super::simulate_panel::outcome_colour(outcome, tokens);
        painter.rect_stroke(
            card.expand(3.0 * zoom),
            9.0 * zoom,
            Stroke::new(3.5, colour),
            egui::StrokeKind::Outside,
        );
    }
    let numbers = steps
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let galley = painter.layout_no_wrap(
        numbers,
        FontId::proportional(readable(12.0, zoom)),
        visuals.strong_text_color(),
    );
    let size = galley.size() + vec2(10.0, 4.0);
    let at = Rect::from_center_size(card.left_top(), vec2(size.x.max(size.y), size.y));
    painter.rect_filled(at, size.y / 2.0, visuals.selection.bg_fill);
    painter.galley(
        at.center() - galley.size() / 2.0,
        galley,
        visuals.strong_text_color(),
    );
}

/// The implicit way out of a check: a short dashed line from the card's lower right corner
/// and "fails → rejected" beside it.
fn failure_stub(painter: &egui::Painter, card: Rect, zoom: f32, tokens: &Tokens) {
    let start = pos2(card.right() - (18.0 * zoom).max(10.0), card.bottom());
    let end = start + vec2(0.0, (24.0 * zoom).max(14.0));
    let stroke = Stroke::new(1.4, tokens.error);
    painter.extend(Shape::dashed_line(&[start, end], stroke, 4.0, 3.0));
    arrow_head(painter, &[start, end], tokens.error, zoom);
    painter.text(
        end + vec2(4.0, -2.0),
        Align2::LEFT_BOTTOM,
        crate::tr!("graph-fails-rejected"),
        FontId::proportional(readable(11.0, zoom)),
        tokens.error,
    );
}

/// Text cut to `rows` rows of `width`, ending in an ellipsis when cut.
fn single_line(text: &str, font: FontId, color: Color32, width: f32, rows: usize) -> LayoutJob {
    let mut job = LayoutJob::single_section(text.to_owned(), TextFormat::simple(font, color));
    job.wrap = TextWrapping {
        max_width: width,
        max_rows: rows,
        break_anywhere: false,
        overflow_character: Some('…'),
    };
    job
}

fn draw_edges(
    ui: &Ui,
    painter: &egui::Painter,
    camera: &Camera,
    canvas: Rect,
    data: &CanvasData<'_>,
) {
    let visuals = ui.visuals();
    let zoom = camera.zoom;
    let forward_colour = visuals.text_color().gamma_multiply(0.75);
    let back_colour = visuals.hyperlink_color;
    let highlight = visuals.selection.stroke.color;
    let mut labels = Vec::new();
    for path in &data.layout.edges {
        let edge = &data.graph.edges[path.edge];
        let points: Vec<Pos2> = path
            .points
            .iter()
            .map(|p| camera.screen_pos(canvas, pos2(p[0], p[1])))
            .collect();
        let bounds = Rect::from_points(&points).expand(8.0);
        if !bounds.intersects(canvas) {
            continue;
        }
        let touches_selection = data
            .selected
            .is_some_and(|s| s == edge.from || s == edge.to);
        let taken = data.run.map(|run| run.taken_edges.contains(&path.edge));
        let colour = match (taken, touches_selection, path.back) {
            (Some(true), _, _) => highlight,
            (Some(false), _, _) => forward_colour.gamma_multiply(0.3),
            (None, true, _) => highlight,
            (None, false, true) => back_colour,
            (None, false, false) => forward_colour,
        };
        let width = match (taken, touches_selection) {
            (Some(true), _) => 3.4,
            (None, true) => 2.2,
            _ => 1.4,
        };
        let stroke = Stroke::new(width, colour);
        if path.back {
            painter.extend(Shape::dashed_line(
                &points,
                stroke,
                7.0 * zoom.max(0.5),
                4.0 * zoom.max(0.5),
            ));
        } else {
            painter.add(Shape::line(points.clone(), stroke));
        }
        arrow_head(painter, &points, colour, zoom);
        if let Some(label) = edge.label()
            && points.len() >= 2
        {
            labels.push((label_candidates(&points), label.to_owned(), colour));
        }
    }
    for unresolved in &data.graph.unresolved {
        if let UnresolvedRef::MissingTarget { from, target, .. } = unresolved {
            let placed = &data.layout.nodes[*from];
            let start = camera.screen_pos(canvas, pos2(placed.right() - 24.0, placed.bottom()));
            let end = start + vec2(0.0, 34.0 * zoom);
            let tokens = crate::ui::theme::tokens(visuals.dark_mode);
            let stroke = Stroke::new(1.6, tokens.error);
            painter.extend(Shape::dashed_line(&[start, end], stroke, 5.0, 3.0));
            arrow_head(painter, &[start, end], tokens.error, zoom);
            labels.push((
                vec![end + vec2(0.0, 9.0 * zoom), end + vec2(0.0, 24.0 * zoom)],
                crate::tr!("graph-missing-target", target = target.as_str()),
                tokens.error,
            ));
        }
    }
    // Labels last, on a backing, so lines never hide them; each takes the first place along
    // its edge that no other label or card covers.
    let cards: Vec<Rect> = data
        .layout
        .nodes
        .iter()
        .map(|b| camera.rect_to_screen(canvas, pos2(b.x, b.y), vec2(b.width, b.height)))
        .collect();
    let mut taken: Vec<Rect> = Vec::new();
    for (candidates, text, colour) in labels {
        let text = if text.chars().count() > MAX_LABEL_CHARS {
            let cut: String = text.chars().take(MAX_LABEL_CHARS - 1).collect();
            format!("{cut}…")
        } else {
            text
        };
        let galley =
            painter.layout_no_wrap(text, FontId::proportional(readable(11.5, zoom)), colour);
        let size = galley.size() + vec2(8.0, 4.0) * zoom;
        let free = |at: &Pos2| {
            let rect = Rect::from_center_size(*at, size);
            !taken.iter().chain(&cards).any(|r| r.intersects(rect))
        };
        let Some(at) = candidates.iter().find(|at| free(at)).or(candidates.first()) else {
            continue;
        };
        let rect = Rect::from_center_size(*at, size);
        taken.push(rect);
        painter.rect_filled(
            rect,
            4.0 * zoom,
            visuals.extreme_bg_color.gamma_multiply(0.92),
        );
        painter.rect_stroke(
            rect,
            4.0 * zoom,
            Stroke::new(1.0, colour.gamma_multiply(0.6)),
            egui::StrokeKind::Inside,
        );
        painter.galley(rect.min + vec2(4.0, 2.0) * zoom, galley, colour);
    }
}

/// Where a label may go along an edge, best first: the middle of the first segment, then
/// further along it and along the following segments.
fn label_candidates(points: &[Pos2]) -> Vec<Pos2> {
    let mut candidates = Vec::new();
    for pair in points.windows(2) {
        for t in [0.5, 0.3, 0.7, 0.15, 0.85] {
            candidates.push(pair[0].lerp(pair[1], t));
        }
    }
    candidates
}

fn arrow_head(painter: &egui::Painter, points: &[Pos2], colour: Color32, zoom: f32) {
    let [.., before, tip] = points else {
        return;
    };
    let direction = (*tip - *before).normalized();
    if !direction.is_finite() {
        return;
    }
    let size = 9.0 * zoom.clamp(0.5, 1.5);
    let side = direction.rot90() * size * 0.5;
    let base = *tip - direction * size;
    painter.add(Shape::convex_polygon(
        vec![*tip, base + side, base - side],
        colour,
        Stroke::NONE,
    ));
}
