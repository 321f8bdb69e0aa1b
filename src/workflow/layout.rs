//! Layered (Sugiyama-style) layout: break cycles, put nodes in layers from the entry, insert
//! waypoints on long edges, order each layer to reduce crossings, then place x positions with
//! guaranteed gaps. Deterministic: the same graph always gives the same layout.
//!
//! Coordinates are in points with y growing downwards; the top-left of the drawing is (0, 0).

use std::collections::{BTreeMap, VecDeque};

use super::graph::Graph;

/// Sizes and effort of the layout.
#[derive(Debug, Clone, PartialEq)]
pub struct LayoutConfig {
    pub node_width: f32,
    pub node_height: f32,
    /// Vertical space between two layers, where edges and their labels run.
    pub layer_gap: f32,
    /// Horizontal space between neighbouring cards in a layer.
    pub node_gap: f32,
    /// Width reserved in a layer for an edge passing through it.
    pub lane_width: f32,
    /// Down-and-up passes of the crossing reduction.
    pub sweeps: usize,
}

impl Default for LayoutConfig {
    fn default() -> Self {
        Self {
            node_width: 230.0,
            node_height: 66.0,
            layer_gap: 80.0,
            node_gap: 40.0,
            lane_width: 16.0,
            sweeps: 8,
        }
    }
}

/// Where one node is drawn; `x`, `y` are the top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NodeBox {
    pub layer: usize,
    /// Position within its layer, counting edge waypoints.
    pub order: usize,
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

impl NodeBox {
    pub fn center_x(&self) -> f32 {
        self.x + self.width / 2.0
    }

    pub fn bottom(&self) -> f32 {
        self.y + self.height
    }

    pub fn right(&self) -> f32 {
        self.x + self.width
    }
}

/// The polyline of one graph edge, from its source to its target (the arrowhead goes at the
/// last point).
#[derive(Debug, Clone, PartialEq)]
pub struct EdgePath {
    /// Index into [`Graph::edges`].
    pub edge: usize,
    pub points: Vec<[f32; 2]>,
    /// The edge goes back up (it closes a loop); drawn differently.
    pub back: bool,
    pub self_loop: bool,
}

/// The placed graph.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    /// One box per graph node, same indices as [`Graph::nodes`].
    pub nodes: Vec<NodeBox>,
    /// One path per graph edge, same order as [`Graph::edges`].
    pub edges: Vec<EdgePath>,
    pub width: f32,
    pub height: f32,
    pub layer_count: usize,
}

/// An item of a layer: a real node or a waypoint of a long edge.
#[derive(Debug, Clone, Copy)]
struct Slot {
    layer: usize,
    real: Option<usize>,
    width: f32,
}

/// Lays out `graph`.
pub fn layout(graph: &Graph, config: &LayoutConfig) -> Layout {
    let n = graph.nodes.len();
    if n == 0 {
        return Layout::default();
    }
    let (back, discovery) = find_back_edges(graph);
    // Each non-loop edge as (upper, lower) once cycles are broken.
    let dag: Vec<Option<(usize, usize)>> = graph
        .edges
        .iter()
        .enumerate()
        .map(|(i, e)| {
            (e.from != e.to).then(|| {
                if back[i] {
                    (e.to, e.from)
                } else {
                    (e.from, e.to)
                }
            })
        })
        .collect();
    let layer_of = assign_layers(n, &dag, graph.entry);
    let layer_count = layer_of.iter().max().map_or(0, |&l| l + 1);

    // Slots: the real nodes first (slot i is node i), then waypoints of long edges.
    let mut slots: Vec<Slot> = (0..n)
        .map(|i| Slot {
            layer: layer_of[i],
            real: Some(i),
            width: config.node_width,
        })
        .collect();
    // Long edges into the same node share one lane (a trunk) from the highest layer any of them
    // starts at: a shared "rejected" response reached from every step then costs one lane per
    // layer, not one per edge per layer. Forward and back edges never share a trunk.
    let mut trunk_top: BTreeMap<(usize, bool), usize> = BTreeMap::new();
    for (i, pair) in dag.iter().enumerate() {
        if let &Some((upper, lower)) = pair
            && layer_of[lower] > layer_of[upper] + 1
        {
            let top = trunk_top.entry((lower, back[i])).or_insert(usize::MAX);
            *top = (*top).min(layer_of[upper] + 1);
        }
    }
    let mut sort_key: Vec<f64> = discovery.iter().map(|&d| d as f64).collect();
    let mut trunks: BTreeMap<(usize, bool), Vec<usize>> = BTreeMap::new();
    let mut chains: Vec<Vec<usize>> = Vec::with_capacity(dag.len());
    for (i, pair) in dag.iter().enumerate() {
        let &Some((upper, lower)) = pair else {
            chains.push(Vec::new());
            continue;
        };
        let key = (lower, back[i]);
        let Some(&top) = trunk_top.get(&key) else {
            chains.push(vec![upper, lower]);
            continue;
        };
        let trunk = trunks.entry(key).or_insert_with(|| {
            (top..layer_of[lower])
                .map(|layer| {
                    slots.push(Slot {
                        layer,
                        real: None,
                        width: config.lane_width,
                    });
                    sort_key.push(discovery[upper] as f64 + 0.5);
                    slots.len() - 1
                })
                .collect()
        });
        let mut chain = vec![upper];
        chain.extend_from_slice(&trunk[layer_of[upper] + 1 - top..]);
        chain.push(lower);
        chains.push(chain);
    }
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); slots.len()];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); slots.len()];
    for chain in &chains {
        for pair in chain.windows(2) {
            // Trunk links are shared by several edges; keep each link once.
            if !down[pair[0]].contains(&pair[1]) {
                down[pair[0]].push(pair[1]);
                up[pair[1]].push(pair[0]);
            }
        }
    }

    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); layer_count];
    for (s, slot) in slots.iter().enumerate() {
        layers[slot.layer].push(s);
    }
    for layer in &mut layers {
        layer.sort_by(|&a, &b| sort_key[a].total_cmp(&sort_key[b]).then(a.cmp(&b)));
    }
    order_layers(&mut layers, &up, &down, slots.len(), config.sweeps);

    let mut position = vec![0usize; slots.len()];
    for layer in &layers {
        for (p, &s) in layer.iter().enumerate() {
            position[s] = p;
        }
    }
    let x = place_x(&layers, &slots, &up, &down, config);
    let layer_step = config.node_height + config.layer_gap;
    let nodes: Vec<NodeBox> = (0..n)
        .map(|i| NodeBox {
            layer: layer_of[i],
            order: position[i],
            x: x[i] - config.node_width / 2.0,
            y: layer_of[i] as f32 * layer_step,
            width: config.node_width,
            height: config.node_height,
        })
        .collect();
    let edges = route_edges(graph, &back, &chains, &nodes, &x, config);
    let width = nodes.iter().map(NodeBox::right).fold(0.0, f32::max) + config.node_gap;
    Layout {
        width,
        height: layer_count as f32 * layer_step - config.layer_gap,
        nodes,
        edges,
        layer_count,
    }
}

/// Depth-first search from the entry, then from nodes nothing points at, then from the rest.
/// An edge to a node still on the DFS stack closes a cycle: it is a back edge. Edges into the
/// entry are always back edges, so the entry stays on top. Returns the back-edge flags and each
/// node's discovery number.
fn find_back_edges(graph: &Graph) -> (Vec<bool>, Vec<usize>) {
    let n = graph.nodes.len();
    let mut has_incoming = vec![false; n];
    for e in &graph.edges {
        if e.from != e.to {
            has_incoming[e.to] = true;
        }
    }
    let roots = graph
        .entry
        .into_iter()
        .chain((0..n).filter(|&i| !has_incoming[i]))
        .chain(0..n);
    let mut back = vec![false; graph.edges.len()];
    let mut on_stack = vec![false; n];
    let mut discovery = vec![usize::MAX; n];
    let mut discovered = 0;
    for root in roots {
        if discovery[root] != usize::MAX {
            continue;
        }
        discovery[root] = discovered;
        discovered += 1;
        on_stack[root] = true;
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (node, ref mut pos)) = work.last_mut() {
            let Some(&edge) = graph.outgoing[node].get(*pos) else {
                on_stack[node] = false;
                work.pop();
                continue;
            };
            *pos += 1;
            let to = graph.edges[edge].to;
            if to == node {
                continue;
            }
            if on_stack[to] || Some(to) == graph.entry {
                back[edge] = true;
            } else if discovery[to] == usize::MAX {
                discovery[to] = discovered;
                discovered += 1;
                on_stack[to] = true;
                work.push((to, 0));
            }
        }
    }
    (back, discovery)
}

/// Longest path from the sources, so every edge goes at least one layer down; then sources
/// other than the entry move down next to their highest successor, to keep edges short.
fn assign_layers(n: usize, dag: &[Option<(usize, usize)>], entry: Option<usize>) -> Vec<usize> {
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut indegree = vec![0usize; n];
    for &(upper, lower) in dag.iter().flatten() {
        succ[upper].push(lower);
        indegree[lower] += 1;
    }
    let sources: Vec<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();
    let mut queue: VecDeque<usize> = sources.iter().copied().collect();
    let mut layer = vec![0usize; n];
    let mut remaining = indegree;
    while let Some(node) = queue.pop_front() {
        for &next in &succ[node] {
            layer[next] = layer[next].max(layer[node] + 1);
            remaining[next] -= 1;
            if remaining[next] == 0 {
                queue.push_back(next);
            }
        }
    }
    for source in sources {
        if Some(source) == entry {
            continue;
        }
        if let Some(lowest) = succ[source].iter().map(|&s| layer[s]).min() {
            layer[source] = lowest.saturating_sub(1);
        }
    }
    layer
}

/// Barycenter crossing reduction: sweeps down and up, keeping the best order seen.
fn order_layers(
    layers: &mut [Vec<usize>],
    up: &[Vec<usize>],
    down: &[Vec<usize>],
    slot_count: usize,
    sweeps: usize,
) {
    let mut position = vec![0usize; slot_count];
    let reindex = |layers: &[Vec<usize>], position: &mut [usize]| {
        for layer in layers {
            for (p, &s) in layer.iter().enumerate() {
                position[s] = p;
            }
        }
    };
    reindex(layers, &mut position);
    let mut best = layers.to_vec();
    let mut best_crossings = total_crossings(layers, down, &position);
    for sweep in 0..sweeps * 2 {
        let downward = sweep % 2 == 0;
        let order: Vec<usize> = if downward {
            (1..layers.len()).collect()
        } else {
            (0..layers.len().saturating_sub(1)).rev().collect()
        };
        for l in order {
            let fixed = if downward { up } else { down };
            let mut keyed: Vec<(f64, usize, usize)> = layers[l]
                .iter()
                .map(|&s| {
                    let neighbours = &fixed[s];
                    let key = if neighbours.is_empty() {
                        position[s] as f64
                    } else {
                        neighbours.iter().map(|&t| position[t] as f64).sum::<f64>()
                            / neighbours.len() as f64
                    };
                    (key, position[s], s)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            layers[l] = keyed.into_iter().map(|(_, _, s)| s).collect();
            for (p, &s) in layers[l].iter().enumerate() {
                position[s] = p;
            }
        }
        let crossings = total_crossings(layers, down, &position);
        if crossings < best_crossings {
            best_crossings = crossings;
            best = layers.to_vec();
        }
        if best_crossings == 0 {
            break;
        }
    }
    layers.clone_from_slice(&best);
}

/// Crossings between each pair of neighbouring layers, by counting inversions.
fn total_crossings(layers: &[Vec<usize>], down: &[Vec<usize>], position: &[usize]) -> usize {
    let mut total = 0;
    for pair in layers.windows(2) {
        let mut segments: Vec<(usize, usize)> = pair[0]
            .iter()
            .flat_map(|&s| down[s].iter().map(move |&t| (position[s], position[t])))
            .collect();
        segments.sort_unstable();
        let lower: Vec<usize> = segments.into_iter().map(|(_, l)| l).collect();
        total += inversions(&lower, pair[1].len());
    }
    total
}

/// Pairs i < j with values[i] > values[j], with a Fenwick tree over `0..bound`.
fn inversions(values: &[usize], bound: usize) -> usize {
    let mut tree = vec![0usize; bound + 1];
    let mut count = 0;
    for (seen, &v) in values.iter().enumerate() {
        // Elements seen so far that are <= v.
        let mut i = v + 1;
        let mut not_greater = 0;
        while i > 0 {
            not_greater += tree[i];
            i &= i - 1;
        }
        count += seen - not_greater;
        let mut i = v + 1;
        while i <= bound {
            tree[i] += 1;
            i += i & i.wrapping_neg();
        }
    }
    count
}

/// Centre x of every slot. Each pass pulls slots towards the mean of their neighbours and then
/// solves "closest to that, in this order, with these gaps" exactly (weighted isotonic
/// regression), so gaps are never violated. Waypoint-to-waypoint links pull hardest, to keep
/// long edges straight.
fn place_x(
    layers: &[Vec<usize>],
    slots: &[Slot],
    up: &[Vec<usize>],
    down: &[Vec<usize>],
    config: &LayoutConfig,
) -> Vec<f32> {
    let gap = |a: usize, b: usize| {
        let spacing = if slots[a].real.is_none() && slots[b].real.is_none() {
            config.lane_width
        } else {
            config.node_gap
        };
        f64::from((slots[a].width + slots[b].width) / 2.0 + spacing)
    };
    let mut x = vec![0f64; slots.len()];
    for layer in layers {
        let mut at = 0.0;
        for (i, &s) in layer.iter().enumerate() {
            if i > 0 {
                at += gap(layer[i - 1], s);
            }
            x[s] = at;
        }
        let shift = at / 2.0;
        for &s in layer {
            x[s] -= shift;
        }
    }
    let passes = 8;
    for pass in 0..passes {
        let order: Vec<usize> = if pass % 2 == 0 {
            (0..layers.len()).collect()
        } else {
            (0..layers.len()).rev().collect()
        };
        for l in order {
            let layer = &layers[l];
            let mut offsets = Vec::with_capacity(layer.len());
            let mut targets = Vec::with_capacity(layer.len());
            let mut weights = Vec::with_capacity(layer.len());
            let mut offset = 0.0;
            for (i, &s) in layer.iter().enumerate() {
                if i > 0 {
                    offset += gap(layer[i - 1], s);
                }
                let (mut sum, mut weight) = (0.0, 0.0);
                for &t in up[s].iter().chain(&down[s]) {
                    let w = if slots[s].real.is_none() && slots[t].real.is_none() {
                        4.0
                    } else {
                        1.0
                    };
                    sum += w * x[t];
                    weight += w;
                }
                let desired = if weight > 0.0 { sum / weight } else { x[s] };
                offsets.push(offset);
                targets.push(desired - offset);
                weights.push(weight.max(0.1));
            }
            let solved = isotonic(&targets, &weights);
            for (i, &s) in layer.iter().enumerate() {
                x[s] = solved[i] + offsets[i];
            }
        }
    }
    let left = slots
        .iter()
        .enumerate()
        .map(|(s, slot)| x[s] - f64::from(slot.width) / 2.0)
        .fold(f64::INFINITY, f64::min);
    let margin = f64::from(config.node_gap) / 2.0;
    x.iter().map(|&v| (v - left + margin) as f32).collect()
}

/// Weighted least squares fit of a non-decreasing sequence (pool adjacent violators).
fn isotonic(targets: &[f64], weights: &[f64]) -> Vec<f64> {
    // Blocks of (weighted mean, total weight, length).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(targets.len());
    for (&t, &w) in targets.iter().zip(weights) {
        blocks.push((t, w, 1));
        while blocks.len() > 1 {
            let (m2, w2, n2) = blocks[blocks.len() - 1];
            let (m1, w1, n1) = blocks[blocks.len() - 2];
            if m1 <= m2 {
                break;
            }
            blocks.pop();
            let merged_weight = w1 + w2;
            if let Some(last) = blocks.last_mut() {
                *last = ((m1 * w1 + m2 * w2) / merged_weight, merged_weight, n1 + n2);
            }
        }
    }
    blocks
        .into_iter()
        .flat_map(|(mean, _, len)| std::iter::repeat_n(mean, len))
        .collect()
}

/// Polylines for every edge. Edges leave from the bottom and enter at the top of a card, at
/// ports spread along the edge in the order of where they head, and pass each layer through
/// their own waypoint lane, so they never run under a card.
fn route_edges(
    graph: &Graph,
    back: &[bool],
    chains: &[Vec<usize>],
    nodes: &[NodeBox],
    x: &[f32],
    config: &LayoutConfig,
) -> Vec<EdgePath> {
    let n = nodes.len();
    // Per card side, the slots its edges head to; edges heading to the same slot (a shared
    // trunk, or the same next node) share a port.
    let mut bottom_ports: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut top_ports: Vec<Vec<usize>> = vec![Vec::new(); n];
    for chain in chains.iter().filter(|c| c.len() >= 2) {
        let (upper, lower) = (chain[0], chain[chain.len() - 1]);
        bottom_ports[upper].push(chain[1]);
        top_ports[lower].push(chain[chain.len() - 2]);
    }
    let port_x = |ports: &mut Vec<usize>, node: &NodeBox| -> Vec<(usize, f32)> {
        ports.sort_by(|&a, &b| x[a].total_cmp(&x[b]).then(a.cmp(&b)));
        ports.dedup();
        let usable = node.width * 0.7;
        let count = ports.len() as f32;
        ports
            .iter()
            .enumerate()
            .map(|(k, &slot)| {
                let at = node.center_x() - usable / 2.0 + usable * (k as f32 + 1.0) / (count + 1.0);
                (slot, at)
            })
            .collect()
    };
    let bottom_at: Vec<Vec<(usize, f32)>> = (0..n)
        .map(|i| port_x(&mut bottom_ports[i], &nodes[i]))
        .collect();
    let top_at: Vec<Vec<(usize, f32)>> = (0..n)
        .map(|i| port_x(&mut top_ports[i], &nodes[i]))
        .collect();
    let find = |ports: &[(usize, f32)], slot: usize| {
        ports
            .iter()
            .find(|(s, _)| *s == slot)
            .map_or(0.0, |&(_, at)| at)
    };
    let mut bottom_x = vec![0f32; chains.len()];
    let mut top_x = vec![0f32; chains.len()];
    for (edge, chain) in chains.iter().enumerate() {
        if chain.len() >= 2 {
            let (upper, lower) = (chain[0], chain[chain.len() - 1]);
            bottom_x[edge] = find(&bottom_at[upper], chain[1]);
            top_x[edge] = find(&top_at[lower], chain[chain.len() - 2]);
        }
    }
    let layer_step = config.node_height + config.layer_gap;
    graph
        .edges
        .iter()
        .enumerate()
        .map(|(i, e)| {
            if e.from == e.to {
                let node = &nodes[e.from];
                let (right, loop_x) = (node.right(), node.right() + config.node_gap * 0.4);
                let (top, bottom) = (node.y + node.height * 0.3, node.y + node.height * 0.7);
                return EdgePath {
                    edge: i,
                    points: vec![
                        [right, top],
                        [loop_x, top],
                        [loop_x, bottom],
                        [right, bottom],
                    ],
                    back: true,
                    self_loop: true,
                };
            }
            let chain = &chains[i];
            let (upper, lower) = (chain[0], chain[chain.len() - 1]);
            let mut points = vec![[bottom_x[i], nodes[upper].bottom()]];
            for (k, &waypoint) in chain[1..chain.len() - 1].iter().enumerate() {
                let layer_top = (nodes[upper].layer + 1 + k) as f32 * layer_step;
                push_merging_vertical(&mut points, [x[waypoint], layer_top]);
                push_merging_vertical(&mut points, [x[waypoint], layer_top + config.node_height]);
            }
            points.push([top_x[i], nodes[lower].y]);
            if back[i] {
                points.reverse();
            }
            EdgePath {
                edge: i,
                points,
                back: back[i],
                self_loop: false,
            }
        })
        .collect()
}

/// Appends `point`, dropping the previous point when it sits on one vertical line with its
/// neighbours: a lane straight down many layers is then one segment, not hundreds.
fn push_merging_vertical(points: &mut Vec<[f32; 2]>, point: [f32; 2]) {
    if let [.., before, last] = points.as_slice()
        && (before[0] - last[0]).abs() < 0.01
        && (last[0] - point[0]).abs() < 0.01
    {
        points.pop();
    }
    points.push(point);
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::api::Workflow;

    fn graph(entry: &str, nodes: Value) -> Graph {
        let wf: Workflow = serde_json::from_value(
            json!({"workflowId": "w", "name": "w", "entryNodeId": entry, "nodes": nodes}),
        )
        .unwrap();
        Graph::build(&wf)
    }

    #[test]
    fn inversions_and_isotonic_fit() {
        assert_eq!(inversions(&[0, 1, 2], 3), 0);
        assert_eq!(inversions(&[2, 1, 0], 3), 3);
        assert_eq!(inversions(&[1, 0, 1, 0], 2), 3);
        assert_eq!(
            isotonic(&[1.0, 3.0, 2.0], &[1.0, 1.0, 1.0]),
            [1.0, 2.5, 2.5]
        );
        assert_eq!(isotonic(&[3.0, 1.0], &[1.0, 3.0]), [1.5, 1.5]);
    }

    #[test]
    fn a_chain_is_one_column_with_the_entry_on_top() {
        let g = graph(
            "b",
            json!([{"id": "c", "type": "response"}, {"id": "b", "type": "request", "next": "m"},
                   {"id": "m", "type": "verification", "next": "c"}]),
        );
        let l = layout(&g, &LayoutConfig::default());
        assert_eq!(
            l.nodes.iter().map(|b| b.layer).collect::<Vec<_>>(),
            [2, 0, 1]
        );
        assert!(l.nodes.iter().all(|b| (b.x - l.nodes[0].x).abs() < 0.01));
        assert_eq!(l.layer_count, 3);
    }

    #[test]
    fn a_loop_back_is_a_back_edge_drawn_upwards() {
        let g = graph(
            "a",
            json!([{"id": "a", "type": "request", "next": "b"},
                   {"id": "b", "type": "if", "next": [{"condition": "retry", "next": "a"}, {"default": true, "next": "c"}]},
                   {"id": "c", "type": "response", "next": "c"}]),
        );
        let l = layout(&g, &LayoutConfig::default());
        let back: Vec<(usize, bool, bool)> = l
            .edges
            .iter()
            .map(|e| (e.edge, e.back, e.self_loop))
            .collect();
        assert_eq!(
            back,
            [
                (0, false, false),
                (1, true, false),
                (2, false, false),
                (3, true, true)
            ]
        );
        let up = &l.edges[1].points;
        assert!(up.first().unwrap()[1] < l.nodes[1].y + 1.0);
        assert!((up.last().unwrap()[1] - l.nodes[0].bottom()).abs() < 0.01);
    }

    #[test]
    fn long_edges_pass_through_waypoint_lanes() {
        let g = graph(
            "a",
            json!([{"id": "a", "type": "if", "next": [{"next": "b"}, {"next": "d"}]},
                   {"id": "b", "type": "evaluate", "next": "c"}, {"id": "c", "type": "evaluate", "next": "d"},
                   {"id": "d", "type": "response"}]),
        );
        let l = layout(&g, &LayoutConfig::default());
        assert_eq!(l.nodes[3].layer, 3);
        // Long edge a -> d: start, down one straight lane through layers 1 and 2, end.
        let points = &l.edges[1].points;
        assert_eq!(points.len(), 4);
        assert_eq!(points[1][0], points[2][0]);
        assert_eq!(points[1][1], l.nodes[1].y);
        assert_eq!(points[2][1], l.nodes[2].bottom());
    }

    #[test]
    fn long_edges_into_one_node_share_a_lane() {
        let g = graph(
            "a",
            json!([{"id": "a", "type": "if", "next": [{"next": "b"}, {"next": "z"}]},
                   {"id": "b", "type": "if", "next": [{"next": "c"}, {"next": "z"}]},
                   {"id": "c", "type": "if", "next": [{"next": "d"}, {"next": "z"}]},
                   {"id": "d", "type": "evaluate", "next": "e"},
                   {"id": "e", "type": "response"},
                   {"id": "z", "type": "response"}]),
        );
        let l = layout(&g, &LayoutConfig::default());
        // z sits on layer 3: a -> z and b -> z are long, c -> z goes straight down.
        assert_eq!(l.nodes[5].layer, 3);
        let into_z: Vec<&EdgePath> = l
            .edges
            .iter()
            .filter(|p| g.edges[p.edge].to == 5 && p.points.len() > 2)
            .collect();
        assert_eq!(into_z.len(), 2);
        // Both end on the same port and run down the same lane in the layer they share.
        let ends: Vec<[f32; 2]> = into_z.iter().map(|p| *p.points.last().unwrap()).collect();
        assert!(ends.iter().all(|e| e == &ends[0]));
        let lane_x = into_z[0].points[into_z[0].points.len() - 2][0];
        assert!(
            into_z
                .iter()
                .all(|p| (p.points[p.points.len() - 2][0] - lane_x).abs() < 0.01)
        );
    }

    #[test]
    fn empty_graph_gives_an_empty_layout() {
        assert_eq!(
            layout(&Graph::default(), &LayoutConfig::default()),
            Layout::default()
        );
    }
}
