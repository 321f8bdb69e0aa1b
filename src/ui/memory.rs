//! Gives freed heap memory back to the system after a big load.

/// After the list of apps is replaced, the pages and the old list were freed on several threads;
/// glibc keeps such memory mapped until asked, so the console would look twice its size.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[allow(unsafe_code)] // Allowed for this call only: the package denies unsafe code.
    // SAFETY: `malloc_trim` only returns free pages to the kernel; it touches no live allocation.
    unsafe {
        libc::malloc_trim(0);
    }
}
