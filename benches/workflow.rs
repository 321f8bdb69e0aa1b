//! Workflow benchmarks: layout of a 1,000-node graph, and one headless frame of the viewer
//! with 200 nodes. Prints medians of CPU time.

fn main() {}
