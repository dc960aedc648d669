//! A small memo with a time to live and one in-flight computation per key.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::OnceCell;

/// One memoised computation: empty while in flight, then the value and when it was computed.
type Slot<V> = Arc<OnceCell<(V, Instant)>>;

/// Maps a key to the result of one async computation. Callers arriving while it runs wait for
/// it and share its result; a finished result is reused until it is older than the TTL.
pub(crate) struct TtlCache<K, V> {
    ttl: Duration,
    slots: Mutex<HashMap<K, Slot<V>>>,
}

impl<K: Eq + Hash + Clone, V: Clone> TtlCache<K, V> {
    pub(crate) fn new(ttl: Duration) -> Self {
        TtlCache {
            ttl,
            slots: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<K, Slot<V>>> {
        // A panic elsewhere while holding the lock leaves a usable map: recover it.
        self.slots
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn fresh(&self, cell: &OnceCell<(V, Instant)>) -> bool {
        match cell.get() {
            None => true, // in flight (or abandoned: the next caller takes it over)
            Some((_, at)) => at.elapsed() < self.ttl,
        }
    }

    /// The cached value, if present and fresh, without computing anything.
    pub(crate) fn peek(&self, key: &K) -> Option<V> {
        let slots = self.lock();
        let cell = slots.get(key)?;
        match cell.get() {
            Some((value, at)) if at.elapsed() < self.ttl => Some(value.clone()),
            _ => None,
        }
    }

    /// The value for `key`, computing it with `compute` unless a fresh or in-flight one exists.
    pub(crate) async fn get_or_compute<F, Fut>(&self, key: K, compute: F) -> V
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = V>,
    {
        let cell = {
            let mut slots = self.lock();
            match slots.get(&key) {
                Some(cell) if self.fresh(cell) => Arc::clone(cell),
                _ => {
                    if slots.len() >= 4096 {
                        slots.retain(|_, cell| self.fresh(cell));
                    }
                    let cell = Arc::new(OnceCell::new());
                    slots.insert(key, Arc::clone(&cell));
                    cell
                }
            }
        };
        let (value, _) = cell
            .get_or_init(|| async move { (compute().await, Instant::now()) })
            .await;
        value.clone()
    }

    /// [`TtlCache::get_or_compute`], but a value for which `keep` is false is not kept for
    /// later callers (those waiting on this very computation still share it).
    pub(crate) async fn get_or_compute_if<F, Fut>(
        &self,
        key: K,
        compute: F,
        keep: impl Fn(&V) -> bool,
    ) -> V
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = V>,
    {
        let value = self.get_or_compute(key.clone(), compute).await;
        if !keep(&value) {
            let mut slots = self.lock();
            // Only if the slot still holds such a value (a newer computation may have replaced it).
            let stale = slots
                .get(&key)
                .is_some_and(|cell| cell.get().is_some_and(|(v, _)| !keep(v)));
            if stale {
                slots.remove(&key);
            }
        }
        value
    }

    /// Forgets everything (in-flight computations finish for their current waiters).
    pub(crate) fn clear(&self) {
        self.lock().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn shares_in_flight_and_respects_ttl() {
        let cache = Arc::new(TtlCache::<String, usize>::new(Duration::from_millis(200)));
        let calls = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..10 {
            let cache = Arc::clone(&cache);
            let calls = Arc::clone(&calls);
            tasks.push(tokio::spawn(async move {
                cache
                    .get_or_compute("k".to_string(), || async {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        calls.fetch_add(1, Ordering::SeqCst) + 1
                    })
                    .await
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), 1);
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(cache.peek(&"k".to_string()), Some(1));
        tokio::time::sleep(Duration::from_millis(250)).await;
        assert_eq!(cache.peek(&"k".to_string()), None);
        let v = cache.get_or_compute("k".to_string(), || async { 7 }).await;
        assert_eq!(v, 7);
    }
}
