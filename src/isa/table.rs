//! The MIPS32 Release 2 integer instruction set, written down once.
//!
//! Every other view of the ISA — the [`Op`](super::Op) enum, the encoder, the
//! decoder, the disassembler, the assembler's mnemonic table and the list of
//! operations the engines must cover — is generated from [`for_each_op!`] by
//! handing it a macro that receives one row per instruction:
//!
//! ```text
//! Variant "mnemonic" base_encoding, [operand kinds], flags;
//! ```
//!
//! * `base_encoding` holds every fixed bit. Bits not claimed by an operand are
//!   fixed too (to the base's value, normally zero), so a word decodes to at
//!   most one row: the rows never overlap (a unit test checks it).
//! * the operand kinds (see [`Operand`](super::Operand)) give both the
//!   assembly syntax (in order) and the fields they occupy.
//! * flags (see [`Flags`](super::Flags)) tell the engines how the
//!   instruction treats control flow, memory and HI/LO.
//!
//! Pattern for a new model in this file: add one row. Everything that must
//! know about it fails to compile (exhaustive matches) until it does.

/// Invokes `$m!` with the full instruction table. See the module docs.
#[macro_export]
macro_rules! for_each_op {
    ($m:ident) => {
        $m! {
            // ---- SPECIAL (opcode 0): shifts ----
            Sll     "sll"     special(0x00),          [Rd, Rt, Sa],          NONE;
            Srl     "srl"     special(0x02),          [Rd, Rt, Sa],          NONE;
            Rotr    "rotr"    special(0x02) | rs(1),  [Rd, Rt, Sa],          NONE;
            Sra     "sra"     special(0x03),          [Rd, Rt, Sa],          NONE;
            Sllv    "sllv"    special(0x04),          [Rd, Rt, Rs],          NONE;
            Srlv    "srlv"    special(0x06),          [Rd, Rt, Rs],          NONE;
            Rotrv   "rotrv"   special(0x06) | sa(1),  [Rd, Rt, Rs],          NONE;
            Srav    "srav"    special(0x07),          [Rd, Rt, Rs],          NONE;
            // ---- SPECIAL: jumps through registers and moves ----
            Jr      "jr"      special(0x08),          [Rs],                  JUMP.union(INDIRECT);
            Jalr    "jalr"    special(0x09),          [Rd, Rs],              JUMP.union(INDIRECT).union(LINK);
            Movz    "movz"    special(0x0a),          [Rd, Rs, Rt],          NONE;
            Movn    "movn"    special(0x0b),          [Rd, Rs, Rt],          NONE;
            Syscall "syscall" special(0x0c),          [Code20],              SYSTEM;
            Break   "break"   special(0x0d),          [BreakCode],           SYSTEM.union(MAY_TRAP);
            Sync    "sync"    special(0x0f),          [SyncType],            NONE;
            // ---- SPECIAL: HI/LO ----
            Mfhi    "mfhi"    special(0x10),          [Rd],                  READS_HILO;
            Mthi    "mthi"    special(0x11),          [Rs],                  WRITES_HILO;
            Mflo    "mflo"    special(0x12),          [Rd],                  READS_HILO;
            Mtlo    "mtlo"    special(0x13),          [Rs],                  WRITES_HILO;
            Mult    "mult"    special(0x18),          [Rs, Rt],              WRITES_HILO;
            Multu   "multu"   special(0x19),          [Rs, Rt],              WRITES_HILO;
            Div     "div"     special(0x1a),          [Rs, Rt],              WRITES_HILO;
            Divu    "divu"    special(0x1b),          [Rs, Rt],              WRITES_HILO;
            // ---- SPECIAL: arithmetic and logic ----
            Add     "add"     special(0x20),          [Rd, Rs, Rt],          MAY_TRAP;
            Addu    "addu"    special(0x21),          [Rd, Rs, Rt],          NONE;
            Sub     "sub"     special(0x22),          [Rd, Rs, Rt],          MAY_TRAP;
            Subu    "subu"    special(0x23),          [Rd, Rs, Rt],          NONE;
            And     "and"     special(0x24),          [Rd, Rs, Rt],          NONE;
            Or      "or"      special(0x25),          [Rd, Rs, Rt],          NONE;
            Xor     "xor"     special(0x26),          [Rd, Rs, Rt],          NONE;
            Nor     "nor"     special(0x27),          [Rd, Rs, Rt],          NONE;
            Slt     "slt"     special(0x2a),          [Rd, Rs, Rt],          NONE;
            Sltu    "sltu"    special(0x2b),          [Rd, Rs, Rt],          NONE;
            // ---- SPECIAL: conditional traps ----
            Tge     "tge"     special(0x30),          [Rs, Rt, TrapCode],    MAY_TRAP;
            Tgeu    "tgeu"    special(0x31),          [Rs, Rt, TrapCode],    MAY_TRAP;
            Tlt     "tlt"     special(0x32),          [Rs, Rt, TrapCode],    MAY_TRAP;
            Tltu    "tltu"    special(0x33),          [Rs, Rt, TrapCode],    MAY_TRAP;
            Teq     "teq"     special(0x34),          [Rs, Rt, TrapCode],    MAY_TRAP;
            Tne     "tne"     special(0x36),          [Rs, Rt, TrapCode],    MAY_TRAP;
            // ---- REGIMM (opcode 1) ----
            Bltz    "bltz"    regimm(0x00),           [Rs, Branch],          BRANCH;
            Bgez    "bgez"    regimm(0x01),           [Rs, Branch],          BRANCH;
            Bltzl   "bltzl"   regimm(0x02),           [Rs, Branch],          BRANCH;
            Bgezl   "bgezl"   regimm(0x03),           [Rs, Branch],          BRANCH;
            Tgei    "tgei"    regimm(0x08),           [Rs, SImm16],          MAY_TRAP;
            Tgeiu   "tgeiu"   regimm(0x09),           [Rs, SImm16],          MAY_TRAP;
            Tlti    "tlti"    regimm(0x0a),           [Rs, SImm16],          MAY_TRAP;
            Tltiu   "tltiu"   regimm(0x0b),           [Rs, SImm16],          MAY_TRAP;
            Teqi    "teqi"    regimm(0x0c),           [Rs, SImm16],          MAY_TRAP;
            Tnei    "tnei"    regimm(0x0e),           [Rs, SImm16],          MAY_TRAP;
            Bltzal  "bltzal"  regimm(0x10),           [Rs, Branch],          BRANCH.union(LINK);
            Bgezal  "bgezal"  regimm(0x11),           [Rs, Branch],          BRANCH.union(LINK);
            Bltzall "bltzall" regimm(0x12),           [Rs, Branch],          BRANCH.union(LINK);
            Bgezall "bgezall" regimm(0x13),           [Rs, Branch],          BRANCH.union(LINK);
            // ---- jumps and branches ----
            J       "j"       primary(0x02),          [Jump],                JUMP;
            Jal     "jal"     primary(0x03),          [Jump],                JUMP.union(LINK);
            Beq     "beq"     primary(0x04),          [Rs, Rt, Branch],      BRANCH;
            Bne     "bne"     primary(0x05),          [Rs, Rt, Branch],      BRANCH;
            Blez    "blez"    primary(0x06),          [Rs, Branch],          BRANCH;
            Bgtz    "bgtz"    primary(0x07),          [Rs, Branch],          BRANCH;
            Beql    "beql"    primary(0x14),          [Rs, Rt, Branch],      BRANCH;
            Bnel    "bnel"    primary(0x15),          [Rs, Rt, Branch],      BRANCH;
            Blezl   "blezl"   primary(0x16),          [Rs, Branch],          BRANCH;
            Bgtzl   "bgtzl"   primary(0x17),          [Rs, Branch],          BRANCH;
            // ---- immediate arithmetic and logic ----
            Addi    "addi"    primary(0x08),          [Rt, Rs, SImm16],      MAY_TRAP;
            Addiu   "addiu"   primary(0x09),          [Rt, Rs, SImm16],      NONE;
            Slti    "slti"    primary(0x0a),          [Rt, Rs, SImm16],      NONE;
            Sltiu   "sltiu"   primary(0x0b),          [Rt, Rs, SImm16],      NONE;
            Andi    "andi"    primary(0x0c),          [Rt, Rs, UImm16],      NONE;
            Ori     "ori"     primary(0x0d),          [Rt, Rs, UImm16],      NONE;
            Xori    "xori"    primary(0x0e),          [Rt, Rs, UImm16],      NONE;
            Lui     "lui"     primary(0x0f),          [Rt, UImm16],          NONE;
            // ---- SPECIAL2 (opcode 0x1c) ----
            Madd    "madd"    special2(0x00),         [Rs, Rt],              READS_HILO.union(WRITES_HILO);
            Maddu   "maddu"   special2(0x01),         [Rs, Rt],              READS_HILO.union(WRITES_HILO);
            Mul     "mul"     special2(0x02),         [Rd, Rs, Rt],          NONE;
            Msub    "msub"    special2(0x04),         [Rs, Rt],              READS_HILO.union(WRITES_HILO);
            Msubu   "msubu"   special2(0x05),         [Rs, Rt],              READS_HILO.union(WRITES_HILO);
            Clz     "clz"     special2(0x20),         [RdAlsoRt, Rs],        NONE;
            Clo     "clo"     special2(0x21),         [RdAlsoRt, Rs],        NONE;
            // ---- SPECIAL3 (opcode 0x1f) ----
            Ext     "ext"     special3(0x00),         [Rt, Rs, BitPos, ExtSize], NONE;
            Ins     "ins"     special3(0x04),         [Rt, Rs, BitPos, InsSize], NONE;
            Wsbh    "wsbh"    bshfl(0x02),            [Rd, Rt],              NONE;
            Seb     "seb"     bshfl(0x10),            [Rd, Rt],              NONE;
            Seh     "seh"     bshfl(0x18),            [Rd, Rt],              NONE;
            // ---- loads and stores ----
            Lb      "lb"      primary(0x20),          [Rt, Mem],             LOAD;
            Lh      "lh"      primary(0x21),          [Rt, Mem],             LOAD;
            Lwl     "lwl"     primary(0x22),          [Rt, Mem],             LOAD;
            Lw      "lw"      primary(0x23),          [Rt, Mem],             LOAD;
            Lbu     "lbu"     primary(0x24),          [Rt, Mem],             LOAD;
            Lhu     "lhu"     primary(0x25),          [Rt, Mem],             LOAD;
            Lwr     "lwr"     primary(0x26),          [Rt, Mem],             LOAD;
            Sb      "sb"      primary(0x28),          [Rt, Mem],             STORE;
            Sh      "sh"      primary(0x29),          [Rt, Mem],             STORE;
            Swl     "swl"     primary(0x2a),          [Rt, Mem],             STORE;
            Sw      "sw"      primary(0x2b),          [Rt, Mem],             STORE;
            Swr     "swr"     primary(0x2e),          [Rt, Mem],             STORE;
            Ll      "ll"      primary(0x30),          [Rt, Mem],             LOAD;
            Pref    "pref"    primary(0x33),          [Hint, Mem],           NONE;
            Sc      "sc"      primary(0x38),          [Rt, Mem],             STORE;
            // ---- hypervisor calls (reserved opcode 0x3b, unused by MIPS32) ----
            DumpState "DUMP_PROCESSOR_STATE" para(0), [],                    PARA;
            Snapshot  "SNAPSHOT"             para(1), [ParaArg],             PARA;
            Migrate   "MIGRATE"              para(2), [ParaArg],             PARA;
        }
    };
}
