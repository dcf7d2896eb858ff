//! The MIPS32 Release 2 integer instruction set, written down once.
//!
//! Every other view of the ISA — the [`Op`](super::Op) enum, the encoder, the
//! decoder, the disassembler, the assembler's mnemonic table and the list of
//! operations the engines must cover — is generated from [`for_each_op!`] by
//! handing it a macro that receives one row per instruction:
//!
//! ```text
//! Variant "mnemonic" base_encoding, [operand kinds], flags, w[written] r[read];
//! ```
//!
//! * `base_encoding` holds every fixed bit. Bits not claimed by an operand are
//!   fixed too (to the base's value, normally zero), so a word decodes to at
//!   most one row: the rows never overlap (a unit test checks it).
//! * the operand kinds (see [`Operand`](super::Operand)) give both the
//!   assembly syntax (in order) and the fields they occupy.
//! * flags (see [`Flags`](super::Flags)) tell the engines how the
//!   instruction treats control flow and memory.
//! * `w[…]` and `r[…]` name the registers (by field, see
//!   [`RegField`](super::RegField), HI and LO included) the instruction
//!   writes and reads: the one
//!   answer to "what does this instruction define and use" that the JIT's
//!   check grouping, register allocation and tests derive from. A write that
//!   may not happen (`movz`, `lwl`) also reads its destination, since the old
//!   value survives. A unit test of the interpreter checks each row against
//!   what `execute` really does.
//!
//! Pattern for a new model in this file: add one row. Everything that must
//! know about it fails to compile (exhaustive matches) until it does.

/// Invokes `$m!` with the full instruction table. See the module docs.
#[macro_export]
macro_rules! for_each_op {
    ($m:ident) => {
        $m! {
            // ---- SPECIAL (opcode 0): shifts ----
            Sll     "sll"     special(0x00),          [Rd, Rt, Sa],          NONE,                   w[Rd] r[Rt];
            Srl     "srl"     special(0x02),          [Rd, Rt, Sa],          NONE,                   w[Rd] r[Rt];
            Rotr    "rotr"    special(0x02) | rs(1),  [Rd, Rt, Sa],          NONE,                   w[Rd] r[Rt];
            Sra     "sra"     special(0x03),          [Rd, Rt, Sa],          NONE,                   w[Rd] r[Rt];
            Sllv    "sllv"    special(0x04),          [Rd, Rt, Rs],          NONE,                   w[Rd] r[Rt, Rs];
            Srlv    "srlv"    special(0x06),          [Rd, Rt, Rs],          NONE,                   w[Rd] r[Rt, Rs];
            Rotrv   "rotrv"   special(0x06) | sa(1),  [Rd, Rt, Rs],          NONE,                   w[Rd] r[Rt, Rs];
            Srav    "srav"    special(0x07),          [Rd, Rt, Rs],          NONE,                   w[Rd] r[Rt, Rs];
            // ---- SPECIAL: jumps through registers and moves ----
            Jr      "jr"      special(0x08),          [Rs],                  JUMP.union(INDIRECT),   w[] r[Rs];
            Jalr    "jalr"    special(0x09),          [Rd, Rs],              JUMP.union(INDIRECT).union(LINK), w[Rd] r[Rs];
            Movz    "movz"    special(0x0a),          [Rd, Rs, Rt],          NONE,                   w[Rd] r[Rd, Rs, Rt];
            Movn    "movn"    special(0x0b),          [Rd, Rs, Rt],          NONE,                   w[Rd] r[Rd, Rs, Rt];
            Syscall "syscall" special(0x0c),          [Code20],              SYSTEM,                 w[All] r[All];
            Break   "break"   special(0x0d),          [BreakCode],           SYSTEM.union(MAY_TRAP), w[] r[];
            Sync    "sync"    special(0x0f),          [SyncType],            NONE,                   w[] r[];
            // ---- SPECIAL: HI/LO ----
            Mfhi    "mfhi"    special(0x10),          [Rd],                  NONE,                  w[Rd] r[Hi];
            Mthi    "mthi"    special(0x11),          [Rs],                  NONE,                  w[Hi] r[Rs];
            Mflo    "mflo"    special(0x12),          [Rd],                  NONE,                  w[Rd] r[Lo];
            Mtlo    "mtlo"    special(0x13),          [Rs],                  NONE,                  w[Lo] r[Rs];
            Mult    "mult"    special(0x18),          [Rs, Rt],              NONE,                  w[Hi, Lo] r[Rs, Rt];
            Multu   "multu"   special(0x19),          [Rs, Rt],              NONE,                  w[Hi, Lo] r[Rs, Rt];
            Div     "div"     special(0x1a),          [Rs, Rt],              NONE,                  w[Hi, Lo] r[Rs, Rt];
            Divu    "divu"    special(0x1b),          [Rs, Rt],              NONE,                  w[Hi, Lo] r[Rs, Rt];
            // ---- SPECIAL: arithmetic and logic ----
            Add     "add"     special(0x20),          [Rd, Rs, Rt],          MAY_TRAP,               w[Rd] r[Rs, Rt];
            Addu    "addu"    special(0x21),          [Rd, Rs, Rt],          NONE,                   w[Rd] r[Rs, Rt];
            Sub     "sub"     special(0x22),          [Rd, Rs, Rt],          MAY_TRAP,               w[Rd] r[Rs, Rt];
            Subu    "subu"    special(0x23),          [Rd, Rs, Rt],          NONE,                   w[Rd] r[Rs, Rt];
            And     "and"     special(0x24),          [Rd, Rs, Rt],          NONE,                   w[Rd] r[Rs, Rt];
            Or      "or"      special(0x25),          [Rd, Rs, Rt],          NONE,                   w[Rd] r[Rs, Rt];
            Xor     "xor"     special(0x26),          [Rd, Rs, Rt],          NONE,                   w[Rd] r[Rs, Rt];
            Nor     "nor"     special(0x27),          [Rd, Rs, Rt],          NONE,                   w[Rd] r[Rs, Rt];
            Slt     "slt"     special(0x2a),          [Rd, Rs, Rt],          NONE,                   w[Rd] r[Rs, Rt];
            Sltu    "sltu"    special(0x2b),          [Rd, Rs, Rt],          NONE,                   w[Rd] r[Rs, Rt];
            // ---- SPECIAL: conditional traps ----
            Tge     "tge"     special(0x30),          [Rs, Rt, TrapCode],    MAY_TRAP,               w[] r[Rs, Rt];
            Tgeu    "tgeu"    special(0x31),          [Rs, Rt, TrapCode],    MAY_TRAP,               w[] r[Rs, Rt];
            Tlt     "tlt"     special(0x32),          [Rs, Rt, TrapCode],    MAY_TRAP,               w[] r[Rs, Rt];
            Tltu    "tltu"    special(0x33),          [Rs, Rt, TrapCode],    MAY_TRAP,               w[] r[Rs, Rt];
            Teq     "teq"     special(0x34),          [Rs, Rt, TrapCode],    MAY_TRAP,               w[] r[Rs, Rt];
            Tne     "tne"     special(0x36),          [Rs, Rt, TrapCode],    MAY_TRAP,               w[] r[Rs, Rt];
            // ---- REGIMM (opcode 1) ----
            Bltz    "bltz"    regimm(0x00),           [Rs, Branch],          BRANCH,                 w[] r[Rs];
            Bgez    "bgez"    regimm(0x01),           [Rs, Branch],          BRANCH,                 w[] r[Rs];
            Bltzl   "bltzl"   regimm(0x02),           [Rs, Branch],          BRANCH.union(LIKELY),  w[] r[Rs];
            Bgezl   "bgezl"   regimm(0x03),           [Rs, Branch],          BRANCH.union(LIKELY),  w[] r[Rs];
            Tgei    "tgei"    regimm(0x08),           [Rs, SImm16],          MAY_TRAP,               w[] r[Rs];
            Tgeiu   "tgeiu"   regimm(0x09),           [Rs, SImm16],          MAY_TRAP,               w[] r[Rs];
            Tlti    "tlti"    regimm(0x0a),           [Rs, SImm16],          MAY_TRAP,               w[] r[Rs];
            Tltiu   "tltiu"   regimm(0x0b),           [Rs, SImm16],          MAY_TRAP,               w[] r[Rs];
            Teqi    "teqi"    regimm(0x0c),           [Rs, SImm16],          MAY_TRAP,               w[] r[Rs];
            Tnei    "tnei"    regimm(0x0e),           [Rs, SImm16],          MAY_TRAP,               w[] r[Rs];
            Bltzal  "bltzal"  regimm(0x10),           [Rs, Branch],          BRANCH.union(LINK),     w[Ra] r[Rs];
            Bgezal  "bgezal"  regimm(0x11),           [Rs, Branch],          BRANCH.union(LINK),     w[Ra] r[Rs];
            Bltzall "bltzall" regimm(0x12),           [Rs, Branch],          BRANCH.union(LINK).union(LIKELY), w[Ra] r[Rs];
            Bgezall "bgezall" regimm(0x13),           [Rs, Branch],          BRANCH.union(LINK).union(LIKELY), w[Ra] r[Rs];
            // ---- jumps and branches ----
            J       "j"       primary(0x02),          [Jump],                JUMP,                   w[] r[];
            Jal     "jal"     primary(0x03),          [Jump],                JUMP.union(LINK),       w[Ra] r[];
            Beq     "beq"     primary(0x04),          [Rs, Rt, Branch],      BRANCH,                 w[] r[Rs, Rt];
            Bne     "bne"     primary(0x05),          [Rs, Rt, Branch],      BRANCH,                 w[] r[Rs, Rt];
            Blez    "blez"    primary(0x06),          [Rs, Branch],          BRANCH,                 w[] r[Rs];
            Bgtz    "bgtz"    primary(0x07),          [Rs, Branch],          BRANCH,                 w[] r[Rs];
            Beql    "beql"    primary(0x14),          [Rs, Rt, Branch],      BRANCH.union(LIKELY),  w[] r[Rs, Rt];
            Bnel    "bnel"    primary(0x15),          [Rs, Rt, Branch],      BRANCH.union(LIKELY),  w[] r[Rs, Rt];
            Blezl   "blezl"   primary(0x16),          [Rs, Branch],          BRANCH.union(LIKELY),  w[] r[Rs];
            Bgtzl   "bgtzl"   primary(0x17),          [Rs, Branch],          BRANCH.union(LIKELY),  w[] r[Rs];
            // ---- immediate arithmetic and logic ----
            Addi    "addi"    primary(0x08),          [Rt, Rs, SImm16],      MAY_TRAP,               w[Rt] r[Rs];
            Addiu   "addiu"   primary(0x09),          [Rt, Rs, SImm16],      NONE,                   w[Rt] r[Rs];
            Slti    "slti"    primary(0x0a),          [Rt, Rs, SImm16],      NONE,                   w[Rt] r[Rs];
            Sltiu   "sltiu"   primary(0x0b),          [Rt, Rs, SImm16],      NONE,                   w[Rt] r[Rs];
            Andi    "andi"    primary(0x0c),          [Rt, Rs, UImm16],      NONE,                   w[Rt] r[Rs];
            Ori     "ori"     primary(0x0d),          [Rt, Rs, UImm16],      NONE,                   w[Rt] r[Rs];
            Xori    "xori"    primary(0x0e),          [Rt, Rs, UImm16],      NONE,                   w[Rt] r[Rs];
            Lui     "lui"     primary(0x0f),          [Rt, UImm16],          NONE,                   w[Rt] r[];
            // ---- SPECIAL2 (opcode 0x1c) ----
            Madd    "madd"    special2(0x00),         [Rs, Rt],              NONE,                  w[Hi, Lo] r[Rs, Rt, Hi, Lo];
            Maddu   "maddu"   special2(0x01),         [Rs, Rt],              NONE,                  w[Hi, Lo] r[Rs, Rt, Hi, Lo];
            Mul     "mul"     special2(0x02),         [Rd, Rs, Rt],          NONE,                   w[Rd] r[Rs, Rt];
            Msub    "msub"    special2(0x04),         [Rs, Rt],              NONE,                  w[Hi, Lo] r[Rs, Rt, Hi, Lo];
            Msubu   "msubu"   special2(0x05),         [Rs, Rt],              NONE,                  w[Hi, Lo] r[Rs, Rt, Hi, Lo];
            Clz     "clz"     special2(0x20),         [RdAlsoRt, Rs],        NONE,                   w[Rd] r[Rs];
            Clo     "clo"     special2(0x21),         [RdAlsoRt, Rs],        NONE,                   w[Rd] r[Rs];
            // ---- SPECIAL3 (opcode 0x1f) ----
            Ext     "ext"     special3(0x00),         [Rt, Rs, BitPos, ExtSize], NONE,                   w[Rt] r[Rs];
            Ins     "ins"     special3(0x04),         [Rt, Rs, BitPos, InsSize], NONE,                   w[Rt] r[Rt, Rs];
            Wsbh    "wsbh"    bshfl(0x02),            [Rd, Rt],              NONE,                   w[Rd] r[Rt];
            Seb     "seb"     bshfl(0x10),            [Rd, Rt],              NONE,                   w[Rd] r[Rt];
            Seh     "seh"     bshfl(0x18),            [Rd, Rt],              NONE,                   w[Rd] r[Rt];
            // Reads hardware register `rd` (29: the thread pointer, as Linux emulates it).
            Rdhwr   "rdhwr"   special3(0x3b),         [Rt, Rd],              NONE,                   w[Rt] r[];
            // ---- loads and stores ----
            Lb      "lb"      primary(0x20),          [Rt, Mem],             LOAD,                   w[Rt] r[Rs];
            Lh      "lh"      primary(0x21),          [Rt, Mem],             LOAD,                   w[Rt] r[Rs];
            Lwl     "lwl"     primary(0x22),          [Rt, Mem],             LOAD,                   w[Rt] r[Rt, Rs];
            Lw      "lw"      primary(0x23),          [Rt, Mem],             LOAD,                   w[Rt] r[Rs];
            Lbu     "lbu"     primary(0x24),          [Rt, Mem],             LOAD,                   w[Rt] r[Rs];
            Lhu     "lhu"     primary(0x25),          [Rt, Mem],             LOAD,                   w[Rt] r[Rs];
            Lwr     "lwr"     primary(0x26),          [Rt, Mem],             LOAD,                   w[Rt] r[Rt, Rs];
            Sb      "sb"      primary(0x28),          [Rt, Mem],             STORE,                  w[] r[Rt, Rs];
            Sh      "sh"      primary(0x29),          [Rt, Mem],             STORE,                  w[] r[Rt, Rs];
            Swl     "swl"     primary(0x2a),          [Rt, Mem],             STORE,                  w[] r[Rt, Rs];
            Sw      "sw"      primary(0x2b),          [Rt, Mem],             STORE,                  w[] r[Rt, Rs];
            Swr     "swr"     primary(0x2e),          [Rt, Mem],             STORE,                  w[] r[Rt, Rs];
            Ll      "ll"      primary(0x30),          [Rt, Mem],             LOAD,                   w[Rt] r[Rs];
            Pref    "pref"    primary(0x33),          [Hint, Mem],           NONE,                   w[] r[Rs];
            Sc      "sc"      primary(0x38),          [Rt, Mem],             STORE,                  w[Rt] r[Rt, Rs];
            // ---- floating point (CP1, COP1X; FR=0: doubles in even/odd pairs) ----
            Mfc1     "mfc1"       cop1_rs(0),             [Rt, Fs],                 FPU,                  w[Rt] r[Fs];
            Cfc1     "cfc1"       cop1_rs(2),             [Rt, FpCtl],              FPU,                  w[Rt] r[Fcsr];
            Mfhc1    "mfhc1"      cop1_rs(3),             [Rt, Ds],                 FPU,                  w[Rt] r[Ds];
            Mtc1     "mtc1"       cop1_rs(4),             [Rt, Fs],                 FPU,                  w[Fs] r[Rt];
            Ctc1     "ctc1"       cop1_rs(6),             [Rt, FpCtl],              FPU.union(MAY_TRAP),  w[Fcsr] r[Rt, Fcsr];
            Mthc1    "mthc1"      cop1_rs(7),             [Rt, Ds],                 FPU,                  w[Ds] r[Rt, Ds];
            Bc1f     "bc1f"       bc1(0, 0),              [CcHigh, Branch],         FPU.union(BRANCH),    w[] r[Fcsr];
            Bc1t     "bc1t"       bc1(0, 1),              [CcHigh, Branch],         FPU.union(BRANCH),    w[] r[Fcsr];
            Bc1fl    "bc1fl"      bc1(1, 0),              [CcHigh, Branch],         FPU.union(BRANCH).union(LIKELY), w[] r[Fcsr];
            Bc1tl    "bc1tl"      bc1(1, 1),              [CcHigh, Branch],         FPU.union(BRANCH).union(LIKELY), w[] r[Fcsr];
            AddS     "add.s"      cop1(FMT_S, 0x00),      [Fd, Fs, Ft],             FPU.union(MAY_TRAP),  w[Fd, Fcsr] r[Fs, Ft, Fcsr];
            SubS     "sub.s"      cop1(FMT_S, 0x01),      [Fd, Fs, Ft],             FPU.union(MAY_TRAP),  w[Fd, Fcsr] r[Fs, Ft, Fcsr];
            MulS     "mul.s"      cop1(FMT_S, 0x02),      [Fd, Fs, Ft],             FPU.union(MAY_TRAP),  w[Fd, Fcsr] r[Fs, Ft, Fcsr];
            DivS     "div.s"      cop1(FMT_S, 0x03),      [Fd, Fs, Ft],             FPU.union(MAY_TRAP),  w[Fd, Fcsr] r[Fs, Ft, Fcsr];
            SqrtS    "sqrt.s"     cop1(FMT_S, 0x04),      [Fd, Fs],                 FPU.union(MAY_TRAP),  w[Fd, Fcsr] r[Fs, Fcsr];
            AbsS     "abs.s"      cop1(FMT_S, 0x05),      [Fd, Fs],                 FPU,                  w[Fd] r[Fs];
            MovS     "mov.s"      cop1(FMT_S, 0x06),      [Fd, Fs],                 FPU,                  w[Fd] r[Fs];
            NegS     "neg.s"      cop1(FMT_S, 0x07),      [Fd, Fs],                 FPU,                  w[Fd] r[Fs];
            RoundWS  "round.w.s"  cop1(FMT_S, 0x0c),      [Fd, Fs],                 FPU.union(MAY_TRAP),  w[Fd, Fcsr] r[Fs, Fcsr];
            TruncWS  "trunc.w.s"  cop1(FMT_S, 0x0d),      [Fd, Fs],                 FPU.union(MAY_TRAP),  w[Fd, Fcsr] r[Fs, Fcsr];
            CeilWS   "ceil.w.s"   cop1(FMT_S, 0x0e),      [Fd, Fs],                 FPU.union(MAY_TRAP),  w[Fd, Fcsr] r[Fs, Fcsr];
            FloorWS  "floor.w.s"  cop1(FMT_S, 0x0f),      [Fd, Fs],                 FPU.union(MAY_TRAP),  w[Fd, Fcsr] r[Fs, Fcsr];
            MovfS    "movf.s"     cop1(FMT_S, 0x11),      [Fd, Fs, CcHigh],         FPU,                  w[Fd] r[Fd, Fs, Fcsr];
            MovtS    "movt.s"     cop1(FMT_S, 0x11) | rt(1),[Fd, Fs, CcHigh],       FPU,                  w[Fd] r[Fd, Fs, Fcsr];
            MovzS    "movz.s"     cop1(FMT_S, 0x12),      [Fd, Fs, Rt],             FPU,                  w[Fd] r[Fd, Fs, Rt];
            MovnS    "movn.s"     cop1(FMT_S, 0x13),      [Fd, Fs, Rt],             FPU,                  w[Fd] r[Fd, Fs, Rt];
            AddD     "add.d"      cop1(FMT_D, 0x00),      [Dd, Ds, Dt],             FPU.union(MAY_TRAP),  w[Dd, Fcsr] r[Ds, Dt, Fcsr];
            SubD     "sub.d"      cop1(FMT_D, 0x01),      [Dd, Ds, Dt],             FPU.union(MAY_TRAP),  w[Dd, Fcsr] r[Ds, Dt, Fcsr];
            MulD     "mul.d"      cop1(FMT_D, 0x02),      [Dd, Ds, Dt],             FPU.union(MAY_TRAP),  w[Dd, Fcsr] r[Ds, Dt, Fcsr];
            DivD     "div.d"      cop1(FMT_D, 0x03),      [Dd, Ds, Dt],             FPU.union(MAY_TRAP),  w[Dd, Fcsr] r[Ds, Dt, Fcsr];
            SqrtD    "sqrt.d"     cop1(FMT_D, 0x04),      [Dd, Ds],                 FPU.union(MAY_TRAP),  w[Dd, Fcsr] r[Ds, Fcsr];
            AbsD     "abs.d"      cop1(FMT_D, 0x05),      [Dd, Ds],                 FPU,                  w[Dd] r[Ds];
            MovD     "mov.d"      cop1(FMT_D, 0x06),      [Dd, Ds],                 FPU,                  w[Dd] r[Ds];
            NegD     "neg.d"      cop1(FMT_D, 0x07),      [Dd, Ds],                 FPU,                  w[Dd] r[Ds];
            RoundWD  "round.w.d"  cop1(FMT_D, 0x0c),      [Fd, Ds],                 FPU.union(MAY_TRAP),  w[Fd, Fcsr] r[Ds, Fcsr];
            TruncWD  "trunc.w.d"  cop1(FMT_D, 0x0d),      [Fd, Ds],                 FPU.union(MAY_TRAP),  w[Fd, Fcsr] r[Ds, Fcsr];
            CeilWD   "ceil.w.d"   cop1(FMT_D, 0x0e),      [Fd, Ds],                 FPU.union(MAY_TRAP),  w[Fd, Fcsr] r[Ds, Fcsr];
            FloorWD  "floor.w.d"  cop1(FMT_D, 0x0f),      [Fd, Ds],                 FPU.union(MAY_TRAP),  w[Fd, Fcsr] r[Ds, Fcsr];
            MovfD    "movf.d"     cop1(FMT_D, 0x11),      [Dd, Ds, CcHigh],         FPU,                  w[Dd] r[Dd, Ds, Fcsr];
            MovtD    "movt.d"     cop1(FMT_D, 0x11) | rt(1),[Dd, Ds, CcHigh],       FPU,                  w[Dd] r[Dd, Ds, Fcsr];
            MovzD    "movz.d"     cop1(FMT_D, 0x12),      [Dd, Ds, Rt],             FPU,                  w[Dd] r[Dd, Ds, Rt];
            MovnD    "movn.d"     cop1(FMT_D, 0x13),      [Dd, Ds, Rt],             FPU,                  w[Dd] r[Dd, Ds, Rt];
            CvtSD    "cvt.s.d"    cop1(FMT_D, 0x20),      [Fd, Ds],                 FPU.union(MAY_TRAP),  w[Fd, Fcsr] r[Ds, Fcsr];
            CvtSW    "cvt.s.w"    cop1(FMT_W, 0x20),      [Fd, Fs],                 FPU.union(MAY_TRAP),  w[Fd, Fcsr] r[Fs, Fcsr];
            CvtDS    "cvt.d.s"    cop1(FMT_S, 0x21),      [Dd, Fs],                 FPU.union(MAY_TRAP),  w[Dd, Fcsr] r[Fs, Fcsr];
            CvtDW    "cvt.d.w"    cop1(FMT_W, 0x21),      [Dd, Fs],                 FPU.union(MAY_TRAP),  w[Dd, Fcsr] r[Fs, Fcsr];
            CvtWS    "cvt.w.s"    cop1(FMT_S, 0x24),      [Fd, Fs],                 FPU.union(MAY_TRAP),  w[Fd, Fcsr] r[Fs, Fcsr];
            CvtWD    "cvt.w.d"    cop1(FMT_D, 0x24),      [Fd, Ds],                 FPU.union(MAY_TRAP),  w[Fd, Fcsr] r[Ds, Fcsr];
            CFS      "c.f.s"      cop1(FMT_S, 0x30),      [CcLow, Fs, Ft],          FPU.union(MAY_TRAP),  w[Fcsr] r[Fs, Ft, Fcsr];
            CUnS     "c.un.s"     cop1(FMT_S, 0x31),      [CcLow, Fs, Ft],          FPU.union(MAY_TRAP),  w[Fcsr] r[Fs, Ft, Fcsr];
            CEqS     "c.eq.s"     cop1(FMT_S, 0x32),      [CcLow, Fs, Ft],          FPU.union(MAY_TRAP),  w[Fcsr] r[Fs, Ft, Fcsr];
            CUeqS    "c.ueq.s"    cop1(FMT_S, 0x33),      [CcLow, Fs, Ft],          FPU.union(MAY_TRAP),  w[Fcsr] r[Fs, Ft, Fcsr];
            COltS    "c.olt.s"    cop1(FMT_S, 0x34),      [CcLow, Fs, Ft],          FPU.union(MAY_TRAP),  w[Fcsr] r[Fs, Ft, Fcsr];
            CUltS    "c.ult.s"    cop1(FMT_S, 0x35),      [CcLow, Fs, Ft],          FPU.union(MAY_TRAP),  w[Fcsr] r[Fs, Ft, Fcsr];
            COleS    "c.ole.s"    cop1(FMT_S, 0x36),      [CcLow, Fs, Ft],          FPU.union(MAY_TRAP),  w[Fcsr] r[Fs, Ft, Fcsr];
            CUleS    "c.ule.s"    cop1(FMT_S, 0x37),      [CcLow, Fs, Ft],          FPU.union(MAY_TRAP),  w[Fcsr] r[Fs, Ft, Fcsr];
            CSfS     "c.sf.s"     cop1(FMT_S, 0x38),      [CcLow, Fs, Ft],          FPU.union(MAY_TRAP),  w[Fcsr] r[Fs, Ft, Fcsr];
            CNgleS   "c.ngle.s"   cop1(FMT_S, 0x39),      [CcLow, Fs, Ft],          FPU.union(MAY_TRAP),  w[Fcsr] r[Fs, Ft, Fcsr];
            CSeqS    "c.seq.s"    cop1(FMT_S, 0x3a),      [CcLow, Fs, Ft],          FPU.union(MAY_TRAP),  w[Fcsr] r[Fs, Ft, Fcsr];
            CNglS    "c.ngl.s"    cop1(FMT_S, 0x3b),      [CcLow, Fs, Ft],          FPU.union(MAY_TRAP),  w[Fcsr] r[Fs, Ft, Fcsr];
            CLtS     "c.lt.s"     cop1(FMT_S, 0x3c),      [CcLow, Fs, Ft],          FPU.union(MAY_TRAP),  w[Fcsr] r[Fs, Ft, Fcsr];
            CNgeS    "c.nge.s"    cop1(FMT_S, 0x3d),      [CcLow, Fs, Ft],          FPU.union(MAY_TRAP),  w[Fcsr] r[Fs, Ft, Fcsr];
            CLeS     "c.le.s"     cop1(FMT_S, 0x3e),      [CcLow, Fs, Ft],          FPU.union(MAY_TRAP),  w[Fcsr] r[Fs, Ft, Fcsr];
            CNgtS    "c.ngt.s"    cop1(FMT_S, 0x3f),      [CcLow, Fs, Ft],          FPU.union(MAY_TRAP),  w[Fcsr] r[Fs, Ft, Fcsr];
            CFD      "c.f.d"      cop1(FMT_D, 0x30),      [CcLow, Ds, Dt],          FPU.union(MAY_TRAP),  w[Fcsr] r[Ds, Dt, Fcsr];
            CUnD     "c.un.d"     cop1(FMT_D, 0x31),      [CcLow, Ds, Dt],          FPU.union(MAY_TRAP),  w[Fcsr] r[Ds, Dt, Fcsr];
            CEqD     "c.eq.d"     cop1(FMT_D, 0x32),      [CcLow, Ds, Dt],          FPU.union(MAY_TRAP),  w[Fcsr] r[Ds, Dt, Fcsr];
            CUeqD    "c.ueq.d"    cop1(FMT_D, 0x33),      [CcLow, Ds, Dt],          FPU.union(MAY_TRAP),  w[Fcsr] r[Ds, Dt, Fcsr];
            COltD    "c.olt.d"    cop1(FMT_D, 0x34),      [CcLow, Ds, Dt],          FPU.union(MAY_TRAP),  w[Fcsr] r[Ds, Dt, Fcsr];
            CUltD    "c.ult.d"    cop1(FMT_D, 0x35),      [CcLow, Ds, Dt],          FPU.union(MAY_TRAP),  w[Fcsr] r[Ds, Dt, Fcsr];
            COleD    "c.ole.d"    cop1(FMT_D, 0x36),      [CcLow, Ds, Dt],          FPU.union(MAY_TRAP),  w[Fcsr] r[Ds, Dt, Fcsr];
            CUleD    "c.ule.d"    cop1(FMT_D, 0x37),      [CcLow, Ds, Dt],          FPU.union(MAY_TRAP),  w[Fcsr] r[Ds, Dt, Fcsr];
            CSfD     "c.sf.d"     cop1(FMT_D, 0x38),      [CcLow, Ds, Dt],          FPU.union(MAY_TRAP),  w[Fcsr] r[Ds, Dt, Fcsr];
            CNgleD   "c.ngle.d"   cop1(FMT_D, 0x39),      [CcLow, Ds, Dt],          FPU.union(MAY_TRAP),  w[Fcsr] r[Ds, Dt, Fcsr];
            CSeqD    "c.seq.d"    cop1(FMT_D, 0x3a),      [CcLow, Ds, Dt],          FPU.union(MAY_TRAP),  w[Fcsr] r[Ds, Dt, Fcsr];
            CNglD    "c.ngl.d"    cop1(FMT_D, 0x3b),      [CcLow, Ds, Dt],          FPU.union(MAY_TRAP),  w[Fcsr] r[Ds, Dt, Fcsr];
            CLtD     "c.lt.d"     cop1(FMT_D, 0x3c),      [CcLow, Ds, Dt],          FPU.union(MAY_TRAP),  w[Fcsr] r[Ds, Dt, Fcsr];
            CNgeD    "c.nge.d"    cop1(FMT_D, 0x3d),      [CcLow, Ds, Dt],          FPU.union(MAY_TRAP),  w[Fcsr] r[Ds, Dt, Fcsr];
            CLeD     "c.le.d"     cop1(FMT_D, 0x3e),      [CcLow, Ds, Dt],          FPU.union(MAY_TRAP),  w[Fcsr] r[Ds, Dt, Fcsr];
            CNgtD    "c.ngt.d"    cop1(FMT_D, 0x3f),      [CcLow, Ds, Dt],          FPU.union(MAY_TRAP),  w[Fcsr] r[Ds, Dt, Fcsr];
            MaddS    "madd.s"     cop1x(0x20),            [Fd, Fr, Fs, Ft],         FPU.union(MAY_TRAP),  w[Fd, Fcsr] r[Fr, Fs, Ft, Fcsr];
            MaddD    "madd.d"     cop1x(0x21),            [Dd, Dr, Ds, Dt],         FPU.union(MAY_TRAP),  w[Dd, Fcsr] r[Dr, Ds, Dt, Fcsr];
            MsubS    "msub.s"     cop1x(0x28),            [Fd, Fr, Fs, Ft],         FPU.union(MAY_TRAP),  w[Fd, Fcsr] r[Fr, Fs, Ft, Fcsr];
            MsubD    "msub.d"     cop1x(0x29),            [Dd, Dr, Ds, Dt],         FPU.union(MAY_TRAP),  w[Dd, Fcsr] r[Dr, Ds, Dt, Fcsr];
            NmaddS   "nmadd.s"    cop1x(0x30),            [Fd, Fr, Fs, Ft],         FPU.union(MAY_TRAP),  w[Fd, Fcsr] r[Fr, Fs, Ft, Fcsr];
            NmaddD   "nmadd.d"    cop1x(0x31),            [Dd, Dr, Ds, Dt],         FPU.union(MAY_TRAP),  w[Dd, Fcsr] r[Dr, Ds, Dt, Fcsr];
            NmsubS   "nmsub.s"    cop1x(0x38),            [Fd, Fr, Fs, Ft],         FPU.union(MAY_TRAP),  w[Fd, Fcsr] r[Fr, Fs, Ft, Fcsr];
            NmsubD   "nmsub.d"    cop1x(0x39),            [Dd, Dr, Ds, Dt],         FPU.union(MAY_TRAP),  w[Dd, Fcsr] r[Dr, Ds, Dt, Fcsr];
            Lwc1     "lwc1"       primary(0x31),          [Ft, Mem],                FPU.union(LOAD),      w[Ft] r[Rs];
            Ldc1     "ldc1"       primary(0x35),          [Dt, Mem],                FPU.union(LOAD),      w[Dt] r[Rs];
            Swc1     "swc1"       primary(0x39),          [Ft, Mem],                FPU.union(STORE),     w[] r[Ft, Rs];
            Sdc1     "sdc1"       primary(0x3d),          [Dt, Mem],                FPU.union(STORE),     w[] r[Dt, Rs];
            Movf     "movf"       special(0x01),          [Rd, Rs, CcHigh],         FPU,                  w[Rd] r[Rd, Rs, Fcsr];
            Movt     "movt"       special(0x01) | rt(1),  [Rd, Rs, CcHigh],         FPU,                  w[Rd] r[Rd, Rs, Fcsr];
            // ---- hypervisor calls (reserved opcode 0x3b, unused by MIPS32) ----
            DumpState "DUMP_PROCESSOR_STATE" para(0), [],                    PARA,                   w[] r[All];
            Snapshot  "SNAPSHOT"             para(1), [ParaArg],             PARA,                   w[] r[All];
            Migrate   "MIGRATE"              para(2), [ParaArg],             PARA,                   w[] r[All];
        }
    };
}
