//! `Ptr<T>`: an `Arc` compared by identity, so memos over a scene of 4,271 links or a list of
//! links change in O(1) (a new value is a new allocation) instead of comparing element by element.
use std::ops::Deref;
use std::sync::Arc;

#[derive(Debug, Default)]
pub struct Ptr<T>(Arc<T>);

impl<T> Ptr<T> {
    pub fn new(value: T) -> Ptr<T> {
        Ptr(Arc::new(value))
    }

    /// A number naming this allocation, for "was this drawn already" checks.
    pub fn id(&self) -> usize {
        Arc::as_ptr(&self.0) as usize
    }
}

impl<T> Clone for Ptr<T> {
    fn clone(&self) -> Self {
        Ptr(self.0.clone())
    }
}

impl<T> PartialEq for Ptr<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Deref for Ptr<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}
