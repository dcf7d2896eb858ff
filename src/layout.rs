//! The guest memory map, in one place: where MARS puts text, data, `$gp`,
//! the heap and the stack, the page size, and the defaults that size a
//! VM. The assembler lays programs out by it, guest memory maps them by
//! it, and the JIT's checks use its page size.

/// Where the text segment starts (MARS default).
pub const TEXT_BASE: u32 = 0x0040_0000;
/// Where small data (`.sdata`, `.sbss`, `.extern`) starts, reachable from `$gp`.
pub const SMALL_DATA_BASE: u32 = 0x1000_0000;
/// The initial `$gp` (MARS default).
pub const GP_INIT: u32 = 0x1000_8000;
/// Where `.data` starts (MARS default).
pub const DATA_BASE: u32 = 0x1001_0000;
/// Where MARS 4.5 starts the heap: the first `sbrk` returns this address
/// (or the first page after static data, if that lies higher).
pub const HEAP_BASE: u32 = 0x1004_0000;
/// The initial `$sp` (MARS default).
pub const SP_INIT: u32 = 0x7fff_effc;
/// log2 of the guest page size.
pub const PAGE_SHIFT: u32 = 12;
/// Guest page size: permissions are per page, the heap starts on a page.
pub const PAGE_SIZE: u32 = 1 << PAGE_SHIFT;
/// Top of the stack region (exclusive): where Linux's user space ends.
pub const STACK_TOP: u32 = 0x8000_0000;
/// The largest stack a VM gets (less when its memory limit is small).
pub const STACK_MAX: u32 = 8 << 20;
/// Default memory limit (SPEC: `vm_memory_limit_mb` = 1024).
pub const DEFAULT_LIMIT: u64 = 1024 << 20;
