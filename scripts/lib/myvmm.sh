# Shared by the bench scripts: `use_myvmm [MYVMM]` sets $myvmm to the given
# binary, or builds this checkout's and uses that.
use_myvmm() {
  if [ -n "${1:-}" ]; then
    myvmm=$(realpath "$1")
  else
    cargo build --release --quiet
    myvmm=$PWD/target/release/myvmm
  fi
}

# `fill_heap MIB` prints MIPS assembly that takes MIB MiB of heap (its base
# in $s0) and writes every word of it.
fill_heap() {
  cat <<ASM
        li      \$a0, $(($1 << 20))
        li      \$v0, 9
        syscall
        move    \$s0, \$v0
        li      \$t0, 0
        li      \$t1, $(($1 << 18))
fill:   sll     \$t2, \$t0, 2
        addu    \$t2, \$t2, \$s0
        xor     \$t3, \$t0, 0x5a5a5a5a
        sw      \$t3, 0(\$t2)
        addiu   \$t0, \$t0, 1
        bne     \$t0, \$t1, fill
ASM
}
