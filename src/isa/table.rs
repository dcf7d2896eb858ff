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
            Bltzl   "bltzl"   regimm(0x02),           [Rs, Branch],          BRANCH,                 w[] r[Rs];
            Bgezl   "bgezl"   regimm(0x03),           [Rs, Branch],          BRANCH,                 w[] r[Rs];
            Tgei    "tgei"    regimm(0x08),           [Rs, SImm16],          MAY_TRAP,               w[] r[Rs];
            Tgeiu   "tgeiu"   regimm(0x09),           [Rs, SImm16],          MAY_TRAP,               w[] r[Rs];
            Tlti    "tlti"    regimm(0x0a),           [Rs, SImm16],          MAY_TRAP,               w[] r[Rs];
            Tltiu   "tltiu"   regimm(0x0b),           [Rs, SImm16],          MAY_TRAP,               w[] r[Rs];
            Teqi    "teqi"    regimm(0x0c),           [Rs, SImm16],          MAY_TRAP,               w[] r[Rs];
            Tnei    "tnei"    regimm(0x0e),           [Rs, SImm16],          MAY_TRAP,               w[] r[Rs];
            Bltzal  "bltzal"  regimm(0x10),           [Rs, Branch],          BRANCH.union(LINK),     w[Ra] r[Rs];
            Bgezal  "bgezal"  regimm(0x11),           [Rs, Branch],          BRANCH.union(LINK),     w[Ra] r[Rs];
            Bltzall "bltzall" regimm(0x12),           [Rs, Branch],          BRANCH.union(LINK),     w[Ra] r[Rs];
            Bgezall "bgezall" regimm(0x13),           [Rs, Branch],          BRANCH.union(LINK),     w[Ra] r[Rs];
            // ---- jumps and branches ----
            J       "j"       primary(0x02),          [Jump],                JUMP,                   w[] r[];
            Jal     "jal"     primary(0x03),          [Jump],                JUMP.union(LINK),       w[Ra] r[];
            Beq     "beq"     primary(0x04),          [Rs, Rt, Branch],      BRANCH,                 w[] r[Rs, Rt];
            Bne     "bne"     primary(0x05),          [Rs, Rt, Branch],      BRANCH,                 w[] r[Rs, Rt];
            Blez    "blez"    primary(0x06),          [Rs, Branch],          BRANCH,                 w[] r[Rs];
            Bgtz    "bgtz"    primary(0x07),          [Rs, Branch],          BRANCH,                 w[] r[Rs];
            Beql    "beql"    primary(0x14),          [Rs, Rt, Branch],      BRANCH,                 w[] r[Rs, Rt];
            Bnel    "bnel"    primary(0x15),          [Rs, Rt, Branch],      BRANCH,                 w[] r[Rs, Rt];
            Blezl   "blezl"   primary(0x16),          [Rs, Branch],          BRANCH,                 w[] r[Rs];
            Bgtzl   "bgtzl"   primary(0x17),          [Rs, Branch],          BRANCH,                 w[] r[Rs];
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
            // ---- hypervisor calls (reserved opcode 0x3b, unused by MIPS32) ----
            DumpState "DUMP_PROCESSOR_STATE" para(0), [],                    PARA,                   w[] r[All];
            Snapshot  "SNAPSHOT"             para(1), [ParaArg],             PARA,                   w[] r[All];
            Migrate   "MIGRATE"              para(2), [ParaArg],             PARA,                   w[] r[All];
        }
    };
}
