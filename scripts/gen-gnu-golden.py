#!/usr/bin/env python3
"""Writes tests/golden/gnu/encodings.s: every instruction of myvmm's table with
varied operands, in syntax both GNU as and myvmm accept. Deterministic."""
import random
import sys

rnd = random.Random(283)
NAMES = ["zero", "at", "v0", "v1", "a0", "a1", "a2", "a3", "t0", "t1", "t2", "t3", "t4", "t5",
         "t6", "t7", "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "t8", "t9", "k0", "k1",
         "gp", "sp", "fp", "ra"]

def reg(avoid=()):
    while True:
        r = rnd.choice([0, 31, rnd.randrange(32), rnd.randrange(32)])
        if r not in avoid:
            break
    return f"${r}" if rnd.random() < 0.5 else f"${NAMES[r]}"

def num(r):
    return int(r[1:]) if r[1:].isdigit() else NAMES.index(r[1:])

def simm():
    return rnd.choice([-32768, 32767, -1, 0, 1, rnd.randrange(-32768, 32768)])

def uimm():
    return rnd.choice([0, 65535, 0x8000, rnd.randrange(65536)])

def sa():
    return rnd.choice([0, 31, 1, rnd.randrange(32)])

def mem():
    return f"{simm()}({reg()})"

def label():
    return f"L{rnd.randrange(LABELS)}"

LABELS = 40
R3 = "rd,rs,rt"
FORMS = {
    # mnemonic: operand form
    "sll": "rd,rt,sa", "srl": "rd,rt,sa", "rotr": "rd,rt,sa", "sra": "rd,rt,sa",
    "sllv": "rd,rt,rs", "srlv": "rd,rt,rs", "rotrv": "rd,rt,rs", "srav": "rd,rt,rs",
    "jr": "rs", "jalr": "jalr", "movz": R3, "movn": R3, "syscall": "code20", "break": "break",
    "sync": "sync", "mfhi": "rd", "mthi": "rs", "mflo": "rd", "mtlo": "rs",
    "mult": "rs,rt", "multu": "rs,rt", "div": "z,rs,rt", "divu": "z,rs,rt",
    "add": R3, "addu": R3, "sub": R3, "subu": R3, "and": R3, "or": R3, "xor": R3, "nor": R3,
    "slt": R3, "sltu": R3,
    "tge": "trap", "tgeu": "trap", "tlt": "trap", "tltu": "trap", "teq": "trap", "tne": "trap",
    "bltz": "rs,b", "bgez": "rs,b", "bltzl": "rs,b", "bgezl": "rs,b",
    "tgei": "rs,simm", "tgeiu": "rs,simm", "tlti": "rs,simm", "tltiu": "rs,simm", "teqi": "rs,simm",
    "tnei": "rs,simm", "bltzal": "rsnr,b", "bgezal": "rsnr,b", "bltzall": "rsnr,b", "bgezall": "rsnr,b",
    "j": "j", "jal": "j", "beq": "rs,rt,b", "bne": "rs,rt,b", "blez": "rs,b", "bgtz": "rs,b",
    "beql": "rs,rt,b", "bnel": "rs,rt,b", "blezl": "rs,b", "bgtzl": "rs,b",
    "addi": "rt,rs,simm", "addiu": "rt,rs,simm", "slti": "rt,rs,simm", "sltiu": "rt,rs,simm",
    "andi": "rt,rs,uimm", "ori": "rt,rs,uimm", "xori": "rt,rs,uimm", "lui": "rt,uimm",
    "madd": "rs,rt", "maddu": "rs,rt", "mul": R3, "msub": "rs,rt", "msubu": "rs,rt",
    "clz": "rd,rs", "clo": "rd,rs", "ext": "ext", "ins": "ins", "wsbh": "rd,rt", "seb": "rd,rt",
    "seh": "rd,rt", "rdhwr": "rt,hwr",
    "lb": "rt,mem", "lh": "rt,mem", "lwl": "rt,mem", "lw": "rt,mem", "lbu": "rt,mem", "lhu": "rt,mem",
    "lwr": "rt,mem", "sb": "rt,mem", "sh": "rt,mem", "swl": "rt,mem", "sw": "rt,mem", "swr": "rt,mem",
    "ll": "rt,mem", "pref": "hint,mem", "sc": "rt,mem",
    # Floating point (FR=0: doubles name even registers).
    "mfc1": "rt,fs", "mtc1": "rt,fs", "mfhc1": "rt,ds", "mthc1": "rt,ds",
    "cfc1": "rt,fcr", "ctc1": "rt,fcr",
    "bc1f": "cc,b", "bc1t": "cc,b", "bc1fl": "cc,b", "bc1tl": "cc,b",
    "movf": "rd,rs,ccm", "movt": "rd,rs,ccm",
    "lwc1": "ft,mem", "swc1": "ft,mem", "ldc1": "dt,mem", "sdc1": "dt,mem",
    "cvt.s.d": "fd,ds", "cvt.s.w": "fd,fs", "cvt.d.s": "dd,fs", "cvt.d.w": "dd,fs",
    "cvt.w.s": "fd,fs", "cvt.w.d": "fd,ds",
}
for fmt, r in (("s", "f"), ("d", "d")):
    for m in ("add", "sub", "mul", "div"):
        FORMS[f"{m}.{fmt}"] = f"{r}d,{r}s,{r}t"
    for m in ("sqrt", "abs", "neg", "mov"):
        FORMS[f"{m}.{fmt}"] = f"{r}d,{r}s"
    for m in ("round", "trunc", "ceil", "floor"):
        FORMS[f"{m}.w.{fmt}"] = f"fd,{r}s"
    FORMS[f"movf.{fmt}"] = f"{r}d,{r}s,ccm"
    FORMS[f"movt.{fmt}"] = f"{r}d,{r}s,ccm"
    FORMS[f"movz.{fmt}"] = f"{r}d,{r}s,rt"
    FORMS[f"movn.{fmt}"] = f"{r}d,{r}s,rt"
    for m in ("madd", "msub", "nmadd", "nmsub"):
        FORMS[f"{m}.{fmt}"] = f"{r}d,{r}s,{r}s,{r}t"
    for c in ("f", "un", "eq", "ueq", "olt", "ult", "ole", "ule",
              "sf", "ngle", "seq", "ngl", "lt", "nge", "le", "ngt"):
        FORMS[f"c.{c}.{fmt}"] = f"cc,{r}s,{r}t"

def fpr():
    return f"$f{rnd.choice([0, 31, rnd.randrange(32)])}"

def dpr():
    return f"$f{2 * rnd.choice([0, 15, rnd.randrange(16)])}"

def cc(sep=","):
    n = rnd.choice([0, 7, rnd.randrange(8)])
    return rnd.choice(["", f"$fcc{n}{sep}"]) if n == 0 else f"$fcc{n}{sep}"

BRANCHES = {m for m, f in FORMS.items() if f in ("j", "jalr", "rs") and m in ("j", "jal", "jr", "jalr")} | {
    m for m, f in FORMS.items() if f.endswith(",b")}

def operands(form):
    if form == "jalr":
        rs = reg(avoid=(31,))
        return rs if rnd.random() < 0.4 else f"{reg(avoid=(num(rs),))},{rs}"
    if form == "code20":
        return rnd.choice(["", str(rnd.randrange(1 << 20)), "0xfffff"])
    if form == "break":
        return rnd.choice(["", str(rnd.randrange(1024)), f"{rnd.randrange(1024)},{rnd.randrange(1024)}"])
    if form == "sync":
        return rnd.choice(["", str(sa())])
    if form == "trap":
        return f"{reg()},{reg()}" + rnd.choice(["", f",{rnd.randrange(1024)}"])
    if form == "j":
        return label()
    if form in ("ext", "ins"):
        pos = rnd.randrange(32)
        size = rnd.randrange(1, 33 - pos)
        return f"{reg()},{reg()},{pos},{size}"
    parts = []
    if form.startswith("cc,"):
        return cc() + operands(form[3:])
    if form.endswith(",ccm"):
        return operands(form[:-4]) + "," + f"$fcc{rnd.randrange(8)}"
    for p in form.split(","):
        parts.append({
            "rd": reg, "rs": reg, "rt": reg, "sa": lambda: str(sa()), "simm": lambda: str(simm()),
            "uimm": lambda: str(uimm()), "mem": mem, "b": label, "z": lambda: "$0",
            "rsnr": lambda: reg(avoid=(31,)), "hint": lambda: str(sa()),
            "fd": fpr, "fs": fpr, "ft": fpr, "dd": dpr, "ds": dpr, "dt": dpr,
            "fcr": lambda: rnd.choice(["$31", "$0", "$25", "$26", "$28"]),
            "hwr": lambda: rnd.choice(["$29", "$0", "$2", f"${rnd.randrange(32)}"]),
        }[p]())
    return ",".join(parts)

def main():
    lines = []
    for mnemonic, form in FORMS.items():
        for _ in range(6):
            ops = operands(form)
            lines.append(f"\t{mnemonic}\t{ops}" if ops else f"\t{mnemonic}")
    rnd.shuffle(lines)
    out = ["# Generated by scripts/gen-gnu-golden.py: every instruction of the table,",
           "# assembled by GNU as into encodings.expected. Do not edit.",
           "\t.set\tnoreorder", "\t.set\tnoat", "\t.text", "\t.globl\tmain", "main:"]
    step = len(lines) // LABELS
    for i, line in enumerate(lines):
        if i % step == 0 and i // step < LABELS:
            out.append(f"L{i // step}:")
        out.append(line)
        # `.set noreorder` keeps GNU as from filling delay slots; fill each
        # with a `nop`, as GCC's -fno-delayed-branch output does (myvmm
        # refuses other slot contents until it models delay slots).
        mnemonic = line.split()[0]
        if mnemonic in BRANCHES:
            out.append("\tnop")
    sys.stdout.write("\n".join(out) + "\n")

main()
