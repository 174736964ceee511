//! The process-wide page cache setting, in a test binary of its own: it changes every connection
//! the process opens afterwards, which the main test binary's other tests must not see.

use refurbdesk_store::{page_cache_kib, set_page_cache_kib, Store, DEFAULT_PAGE_CACHE_KIB};

fn cache_size_of(path: &std::path::Path) -> i64 {
    let store = Store::open(path).expect("opens");
    store.pragma_cache_size().expect("cache_size")
}

#[test]
fn connections_opened_after_the_setting_use_the_smaller_cache() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("station.db");
    assert_eq!(page_cache_kib(), DEFAULT_PAGE_CACHE_KIB);
    assert_eq!(cache_size_of(&path), -DEFAULT_PAGE_CACHE_KIB);

    set_page_cache_kib(32 * 1024);
    assert_eq!(cache_size_of(&path), -32 * 1024);

    // Never below SQLite's own default.
    set_page_cache_kib(1);
    assert_eq!(page_cache_kib(), 2 * 1024);
    assert_eq!(cache_size_of(&path), -2 * 1024);
}
