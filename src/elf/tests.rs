//! Refusals on hand-made headers, and a real static executable from the
//! cross compiler.

use super::*;

/// A minimal valid executable: one read+execute segment at 0x400000 holding
/// `jr $ra; nop`, entry at its start.
fn minimal() -> Vec<u8> {
    let mut f = vec![0u8; 0x60];
    f[..4].copy_from_slice(&MAGIC);
    f[4] = ELFCLASS32;
    f[5] = ELFDATA2LSB;
    f[6] = 1; // EV_CURRENT
    let put16 = |f: &mut Vec<u8>, at: usize, v: u16| f[at..at + 2].copy_from_slice(&v.to_le_bytes());
    let put32 = |f: &mut Vec<u8>, at: usize, v: u32| f[at..at + 4].copy_from_slice(&v.to_le_bytes());
    put16(&mut f, 16, elf::ET_EXEC);
    put16(&mut f, 18, elf::EM_MIPS);
    put32(&mut f, 20, 1);
    put32(&mut f, 24, 0x0040_0054); // entry
    put32(&mut f, 28, 0x34); // phoff
    put32(&mut f, 36, elf::EF_MIPS_ARCH_32R2 | E_MIPS_ABI_O32);
    put16(&mut f, 40, 0x34); // ehsize
    put16(&mut f, 42, 0x20); // phentsize
    put16(&mut f, 44, 1); // phnum
                          // PT_LOAD: offset 0, vaddr 0x400000, the whole file, R+X.
    put32(&mut f, 0x34, elf::PT_LOAD);
    put32(&mut f, 0x38, 0);
    put32(&mut f, 0x3c, 0x0040_0000);
    put32(&mut f, 0x40, 0x0040_0000);
    put32(&mut f, 0x44, 0x60);
    put32(&mut f, 0x48, 0x60);
    put32(&mut f, 0x4c, elf::PF_R | elf::PF_X);
    put32(&mut f, 0x50, 0x1000);
    put32(&mut f, 0x54, 0x03e0_0008); // jr $ra
    f
}

fn with(mut f: Vec<u8>, at: usize, bytes: &[u8]) -> Vec<u8> {
    f[at..at + bytes.len()].copy_from_slice(bytes);
    f
}

#[test]
fn a_minimal_executable_loads() {
    let exe = parse(&minimal()).expect("valid");
    assert_eq!(exe.entry, 0x0040_0054);
    assert_eq!(exe.segments.len(), 1);
    assert_eq!(exe.segments[0].perms, Perms { read: true, write: false, exec: true });
    assert_eq!(exe.brk_start, 0x0040_1000);
    assert!(exe.tls.is_none());
}

#[test]
fn every_kind_of_foreign_file_is_refused_with_a_reason() {
    let base = minimal();
    let cases: Vec<(Vec<u8>, ElfError)> = vec![
        (b"main: nop\n".to_vec(), ElfError::NotElf),
        (with(base.clone(), 4, &[ELFCLASS64]), ElfError::Class64),
        (with(base.clone(), 5, &[ELFDATA2MSB]), ElfError::BigEndian),
        (with(base.clone(), 18, &elf::EM_386.to_le_bytes()), ElfError::Machine(elf::EM_386)),
        (with(base.clone(), 16, &elf::ET_DYN.to_le_bytes()), ElfError::NotExecutable("")),
        (with(base.clone(), 16, &elf::ET_REL.to_le_bytes()), ElfError::NotExecutable("")),
        (with(base.clone(), 0x34, &elf::PT_INTERP.to_le_bytes()), ElfError::Dynamic),
        (with(base.clone(), 36, &(elf::EF_MIPS_ARCH_32R6).to_le_bytes()), ElfError::Variant("")),
        (
            with(base.clone(), 36, &(elf::EF_MIPS_ARCH_32R2 | elf::EF_MIPS_NAN2008).to_le_bytes()),
            ElfError::Variant(""),
        ),
        (
            with(base.clone(), 36, &(elf::EF_MIPS_ARCH_32R2 | elf::EF_MIPS_FP64).to_le_bytes()),
            ElfError::Variant(""),
        ),
        (with(base.clone(), 36, &(elf::EF_MIPS_ARCH_64).to_le_bytes()), ElfError::Variant("")),
        (base[..0x20].to_vec(), ElfError::Malformed(String::new())),
    ];
    for (i, (file, want)) in cases.into_iter().enumerate() {
        let got = parse(&file).expect_err("refused");
        assert_eq!(std::mem::discriminant(&got), std::mem::discriminant(&want), "case {i}: {got}");
        let message = got.to_string();
        if !matches!(got, ElfError::NotElf | ElfError::Malformed(_)) {
            assert!(message.contains("mipsel-linux-gnu-gcc -static"), "case {i} has no hint: {message}");
        }
    }
}

#[test]
fn hostile_segments_are_refused() {
    let base = minimal();
    let cases = [
        // filesz > memsz
        with(base.clone(), 0x48, &0x10u32.to_le_bytes()),
        // past the user address space
        with(base.clone(), 0x3c, &0x7fff_fff0u32.to_le_bytes()),
        // in the first page
        with(base.clone(), 0x3c, &0u32.to_le_bytes()),
        // bytes outside the file
        with(with(base.clone(), 0x44, &0x1000u32.to_le_bytes()), 0x48, &0x1000u32.to_le_bytes()),
        // entry outside every executable segment
        with(base.clone(), 24, &0x0050_0000u32.to_le_bytes()),
        // entry not word-aligned
        with(base.clone(), 24, &0x0040_0055u32.to_le_bytes()),
        // no executable permission
        with(base.clone(), 0x4c, &elf::PF_R.to_le_bytes()),
    ];
    for (i, file) in cases.iter().enumerate() {
        match parse(file) {
            Err(ElfError::Segment(why)) => assert!(!why.is_empty()),
            other => panic!("case {i}: {other:?}"),
        }
    }
}

#[test]
fn truncations_never_panic() {
    let base = minimal();
    for len in 0..base.len() {
        let _ = parse(&base[..len]);
    }
    for at in 0..base.len() {
        for v in [0u8, 0xff, 0x80] {
            let _ = parse(&with(base.clone(), at, &[v]));
        }
    }
}

/// A real static glibc executable, as users build them.
#[test]
fn a_gcc_static_executable_parses() {
    let dir = std::env::temp_dir().join(format!("myvmm-elf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let c = dir.join("hello.c");
    std::fs::write(
        &c,
        "#include <stdio.h>\n__thread int t = 5;\nint main(void) { printf(\"%d\\n\", t); return 0; }\n",
    )
    .expect("write source");
    let exe = dir.join("hello");
    let status = std::process::Command::new("mipsel-linux-gnu-gcc")
        .args(["-static", "-O2", "-o"])
        .arg(&exe)
        .arg(&c)
        .status()
        .expect("mipsel-linux-gnu-gcc is needed: apt-get install gcc-mipsel-linux-gnu (.ci/run installs it)");
    assert!(status.success());
    let bytes = std::fs::read(&exe).expect("read executable");
    let parsed = parse(&bytes).expect("a static executable parses");
    assert!(parsed.segments.iter().any(|s| s.perms.exec && !s.perms.write));
    assert!(parsed.segments.iter().any(|s| s.perms.write && !s.perms.exec));
    assert!(parsed.tls.as_ref().is_some_and(|t| t.mem_size >= 4), "{:?}", parsed.tls);
    assert!(parsed.symbols.iter().any(|(n, _)| n == "main"));
    assert!(parsed.brk_start as u64 >= parsed.segments.iter().map(Segment::end).max().unwrap_or(0));
    // Linking it dynamically is refused with the hint.
    let dynamic = dir.join("hello-dyn");
    let status = std::process::Command::new("mipsel-linux-gnu-gcc")
        .args(["-O2", "-o"])
        .arg(&dynamic)
        .arg(&c)
        .status()
        .expect("gcc runs");
    assert!(status.success());
    let err = parse(&std::fs::read(&dynamic).expect("read")).expect_err("dynamic refused");
    assert!(matches!(err, ElfError::Dynamic | ElfError::NotExecutable(_)), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_program_is_its_segments_and_a_linux_start() {
    let exe = parse(&minimal()).expect("valid");
    assert_eq!(exe.phdr, Some(0x0040_0034), "the segment loads the headers");
    let p = program(&exe, vec!["prog".into(), "a".into()], Vec::new(), 1 << 20).expect("fits");
    assert_eq!(p.text_base, 0x0040_0000);
    assert_eq!(p.text.len(), 0x60 / 4);
    assert_eq!(p.text[0x54 / 4], 0x03e0_0008);
    assert!(p.delay_slots, "ELF programs run with delay slots");
    let linux = p.linux.as_ref().expect("a Linux program");
    assert_eq!(linux.args, ["prog", "a"]);
    assert_eq!((linux.phnum, linux.phent), (1, 0x20));
}

#[test]
fn segments_beyond_the_memory_limit_are_refused_before_allocating() {
    // 1.9 GiB of memory for a 96-byte file: refused by size, not by trying.
    let huge = with(minimal(), 0x48, &0x7800_0000u32.to_le_bytes());
    let exe = parse(&huge).expect("a consistent header");
    let e = program(&exe, vec!["prog".into()], Vec::new(), 64 << 20).unwrap_err();
    assert!(e.to_string().contains("more than the VM's memory limit"), "{e}");
}

#[test]
fn para_opcodes_are_reserved_instructions_in_an_elf() {
    // Opcode 0x3b (myvmm's para-instructions in assembly) in an ELF's text.
    let para = crate::isa::encode(&crate::isa::Inst::new(crate::isa::Op::DumpState));
    assert_eq!(para >> 26, 0x3b);
    let mut file = minimal();
    file[0x54..0x58].copy_from_slice(&para.to_le_bytes());
    let exe = parse(&file).expect("valid");
    let linux = crate::vm::Image::new(program(&exe, vec!["p".into()], Vec::new(), 1 << 20).unwrap());
    assert_eq!(linux.code[0x54 / 4].op, crate::isa::Op::Invalid);
    // The same word assembled into a MARS program stays a para-instruction.
    let mut mars = program(&exe, vec!["p".into()], Vec::new(), 1 << 20).unwrap();
    mars.linux = None;
    assert_eq!(crate::vm::Image::new(mars).code[0x54 / 4].op, crate::isa::Op::DumpState);
}
