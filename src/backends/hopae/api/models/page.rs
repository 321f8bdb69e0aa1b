//! One page of a list answer.

/// One page of `GET /apps`.
#[derive(Debug, Clone, Default)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Total number of items on the server, when the server says.
    pub total: Option<usize>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}
