//! `--emit-elf OUT prog.s`: an assembled program as a MIPS32 little-endian
//! ELF executable with a symbol table and DWARF (a line table and a
//! compile unit with a subprogram per function), so that gdb knows `main`,
//! breaks at `prog.s:12`, lists the source and steps by source line — MARS
//! programs debugged at source level (docs/gdb.md).
//!
//! The file describes the program as myvmm loads it: text at its address,
//! read-only; each data segment at its address; the entry point. Text
//! labels that are the entry, `main`, or the target of a `jal` are
//! functions (`STT_FUNC`, with a DWARF subprogram reaching to the next
//! function); other text labels are local code labels; data labels are
//! objects. Written with `object`'s ELF writer and `gimli`'s DWARF writer.

use crate::isa::{decode, Op};
use crate::program::Program;
use gimli::write::{Address, AttributeValue, DwarfUnit, EndianVec, LineProgram, LineString, Sections};
use object::elf;
use object::write::elf::{FileHeader, ProgramHeader, SectionHeader, Sym, Writer};
use object::write::StreamingBuffer;

/// Why the ELF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum EmitError {
    /// The DWARF writer failed.
    #[error("DWARF: {0}")]
    Dwarf(#[from] gimli::write::Error),
    /// The ELF writer refused the layout.
    #[error("ELF: {0}")]
    Elf(#[from] object::write::Error),
    /// The output could not be written.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// What a symbol names.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Function,
    CodeLabel,
    Object,
}

/// The program's labels worth a symbol, by address: functions, code
/// labels and data objects (constants from `.eqv` are not addresses).
fn labels(program: &Program) -> Vec<(String, u32, Kind, bool)> {
    let (text_start, text_end) = (program.text_base, program.text_end());
    let called: std::collections::BTreeSet<u32> = program
        .text
        .iter()
        .enumerate()
        .filter_map(|(i, &word)| {
            let inst = decode(word);
            (inst.op == Op::Jal).then(|| {
                let pc = text_start.wrapping_add(4 * i as u32);
                (pc.wrapping_add(4) & 0xf000_0000) | (inst.imm << 2)
            })
        })
        .collect();
    let in_data = |v: u32| program.data.iter().any(|d| v >= d.base && (v - d.base) as usize <= d.bytes.len());
    let mut out = Vec::new();
    for s in &program.symbols {
        let v = s.value;
        let kind = if v >= text_start && v < text_end {
            if v == program.entry || s.name == "main" || called.contains(&v) {
                Kind::Function
            } else {
                Kind::CodeLabel
            }
        } else if in_data(v) {
            Kind::Object
        } else {
            continue;
        };
        out.push((s.name.clone(), v, kind, s.global || kind == Kind::Function));
    }
    out.sort_by_key(|(name, v, _, _)| (*v, name.clone()));
    out
}

/// The DWARF sections: a compile unit for the program, its line table
/// (a row per text word) and a subprogram per function.
fn dwarf(program: &Program, functions: &[(String, u32)]) -> Result<Vec<(&'static str, Vec<u8>)>, EmitError> {
    let encoding = gimli::Encoding { format: gimli::Format::Dwarf32, version: 4, address_size: 4 };
    let mut dwarf = DwarfUnit::new(encoding);
    let comp_dir = std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_else(|_| ".".into());
    let files = &program.source.files;
    let primary = files.first().map_or("program.s", |f| f.path.as_str());
    dwarf.unit.line_program = LineProgram::new(
        encoding,
        gimli::LineEncoding::default(),
        LineString::String(comp_dir.clone().into_bytes()),
        LineString::String(primary.as_bytes().to_vec()),
        None,
    );
    let dir = dwarf.unit.line_program.default_directory();
    let file_ids: Vec<_> = files
        .iter()
        .map(|f| dwarf.unit.line_program.add_file(LineString::String(f.path.clone().into_bytes()), dir, None))
        .collect();
    let text_len = 4 * program.text.len() as u64;
    if !program.text.is_empty() {
        let lines = &mut dwarf.unit.line_program;
        lines.begin_sequence(Some(Address::Constant(program.text_base as u64)));
        for (i, loc) in program.source.locs.iter().enumerate().take(program.text.len()) {
            let Some(&file) = file_ids.get(loc.file as usize) else { continue };
            let row = lines.row();
            row.address_offset = 4 * i as u64;
            row.file = file;
            row.line = loc.line as u64;
            row.column = loc.col as u64;
            lines.generate_row();
        }
        lines.end_sequence(text_len);
    }
    let root = dwarf.unit.root();
    let cu = dwarf.unit.get_mut(root);
    cu.set(gimli::DW_AT_name, AttributeValue::String(primary.as_bytes().to_vec()));
    cu.set(gimli::DW_AT_comp_dir, AttributeValue::String(comp_dir.into_bytes()));
    cu.set(
        gimli::DW_AT_producer,
        AttributeValue::String(format!("myvmm {}", env!("CARGO_PKG_VERSION")).into_bytes()),
    );
    cu.set(gimli::DW_AT_language, AttributeValue::Language(gimli::DW_LANG_Mips_Assembler));
    cu.set(gimli::DW_AT_low_pc, AttributeValue::Address(Address::Constant(program.text_base as u64)));
    cu.set(gimli::DW_AT_high_pc, AttributeValue::Udata(text_len));
    let text_end = program.text_end();
    for (k, (name, start)) in functions.iter().enumerate() {
        let end = functions.get(k + 1).map_or(text_end, |next| next.1);
        let id = dwarf.unit.add(root, gimli::DW_TAG_subprogram);
        let sub = dwarf.unit.get_mut(id);
        sub.set(gimli::DW_AT_name, AttributeValue::String(name.clone().into_bytes()));
        sub.set(gimli::DW_AT_external, AttributeValue::Flag(true));
        sub.set(gimli::DW_AT_low_pc, AttributeValue::Address(Address::Constant(*start as u64)));
        sub.set(gimli::DW_AT_high_pc, AttributeValue::Udata((end - start) as u64));
    }
    let mut sections = Sections::new(EndianVec::new(gimli::LittleEndian));
    dwarf.write(&mut sections)?;
    let mut out = Vec::new();
    sections.for_each(|id, data| {
        if !data.slice().is_empty() {
            out.push((id.name(), data.slice().to_vec()));
        }
        Ok::<(), gimli::write::Error>(())
    })?;
    Ok(out)
}

/// Writes `program` as an ELF executable (see the module docs).
pub fn write_elf(program: &Program, out: &mut dyn std::io::Write) -> Result<(), EmitError> {
    let labels = labels(program);
    let functions: Vec<(String, u32)> =
        labels.iter().filter(|l| l.2 == Kind::Function).map(|l| (l.0.clone(), l.1)).collect();
    let debug = dwarf(program, &functions)?;
    let text: Vec<u8> = program.text.iter().flat_map(|w| w.to_le_bytes()).collect();
    let data: Vec<_> = program.data.iter().filter(|d| !d.bytes.is_empty()).collect();

    let mut buffer = StreamingBuffer::new(out);
    let mut w = Writer::new(object::Endianness::Little, false, &mut buffer);
    // Layout: header, program headers, each segment page-aligned (so file
    // offset and address agree modulo the page), then the rest.
    w.reserve_file_header();
    w.reserve_program_headers(1 + data.len() as u32);
    w.reserve_null_section_index();
    let text_name = w.add_section_name(b".text");
    let text_index = w.reserve_section_index();
    let text_offset = w.reserve(text.len(), 4096);
    let data_names: Vec<Vec<u8>> = (0..data.len())
        .map(|i| if i == 0 { b".data".to_vec() } else { format!(".data.{i}").into_bytes() })
        .collect();
    let mut data_sections = Vec::new();
    for (segment, name) in data.iter().zip(&data_names) {
        let name = w.add_section_name(name);
        let index = w.reserve_section_index();
        let offset = w.reserve(segment.bytes.len(), 4096);
        data_sections.push((name, index, offset));
    }
    let debug_sections: Vec<_> = debug
        .iter()
        .map(|(name, bytes)| {
            let id = w.add_section_name(name.as_bytes());
            let index = w.reserve_section_index();
            let offset = w.reserve(bytes.len(), 1);
            (id, index, offset)
        })
        .collect();
    // Symbols: the null symbol, locals, then globals (ELF's order).
    w.reserve_null_symbol_index();
    let section_of = |v: u32| {
        if v >= program.text_base && v < program.text_end() {
            Some(text_index)
        } else {
            data.iter()
                .position(|d| v >= d.base && (v - d.base) as usize <= d.bytes.len())
                .map(|i| data_sections[i].1)
        }
    };
    let (locals, globals): (Vec<_>, Vec<_>) = labels.iter().partition(|l| !l.3);
    let ordered: Vec<_> = locals.iter().chain(globals.iter()).copied().collect();
    let names: Vec<_> = ordered.iter().map(|l| w.add_string(l.0.as_bytes())).collect();
    for l in &ordered {
        w.reserve_symbol_index(section_of(l.1));
    }
    w.reserve_symtab_section_index();
    w.reserve_strtab_section_index();
    w.reserve_shstrtab_section_index();
    w.reserve_symtab();
    w.reserve_strtab();
    w.reserve_shstrtab();
    w.reserve_section_headers();

    w.write_file_header(&FileHeader {
        os_abi: elf::ELFOSABI_SYSV,
        abi_version: 0,
        e_type: elf::ET_EXEC,
        e_machine: elf::EM_MIPS,
        e_entry: program.entry as u64,
        e_flags: elf::EF_MIPS_ARCH_32 | elf::EF_MIPS_ABI_O32,
    })?;
    w.write_align_program_headers();
    w.write_program_header(&ProgramHeader {
        p_type: elf::PT_LOAD,
        p_flags: elf::PF_R | elf::PF_X,
        p_offset: text_offset as u64,
        p_vaddr: program.text_base as u64,
        p_paddr: program.text_base as u64,
        p_filesz: text.len() as u64,
        p_memsz: text.len() as u64,
        p_align: 4096,
    });
    for (segment, (_, _, offset)) in data.iter().zip(&data_sections) {
        let flags = if segment.writable { elf::PF_R | elf::PF_W } else { elf::PF_R };
        w.write_program_header(&ProgramHeader {
            p_type: elf::PT_LOAD,
            p_flags: flags,
            p_offset: *offset as u64,
            p_vaddr: segment.base as u64,
            p_paddr: segment.base as u64,
            p_filesz: segment.bytes.len() as u64,
            p_memsz: segment.bytes.len() as u64,
            p_align: 4096,
        });
    }
    w.write_align(4096);
    w.write(&text);
    for (segment, (_, _, offset)) in data.iter().zip(&data_sections) {
        w.pad_until(*offset);
        w.write(&segment.bytes);
    }
    for ((_, bytes), (_, _, offset)) in debug.iter().zip(&debug_sections) {
        w.pad_until(*offset);
        w.write(bytes);
    }
    w.write_null_symbol();
    for (l, name) in ordered.iter().zip(&names) {
        let st_type = match l.2 {
            Kind::Function => elf::STT_FUNC,
            Kind::CodeLabel => elf::STT_NOTYPE,
            Kind::Object => elf::STT_OBJECT,
        };
        let bind = if l.3 { elf::STB_GLOBAL } else { elf::STB_LOCAL };
        w.write_symbol(&Sym {
            name: Some(*name),
            section: section_of(l.1),
            st_info: (bind << 4) | st_type,
            st_other: elf::STV_DEFAULT,
            st_shndx: 0,
            st_value: l.1 as u64,
            st_size: 0,
        });
    }
    w.write_strtab();
    w.write_shstrtab();
    w.write_null_section_header();
    w.write_section_header(&SectionHeader {
        name: Some(text_name),
        sh_type: elf::SHT_PROGBITS,
        sh_flags: (elf::SHF_ALLOC | elf::SHF_EXECINSTR) as u64,
        sh_addr: program.text_base as u64,
        sh_offset: text_offset as u64,
        sh_size: text.len() as u64,
        sh_link: 0,
        sh_info: 0,
        sh_addralign: 4,
        sh_entsize: 0,
    });
    for (segment, (name, _, offset)) in data.iter().zip(&data_sections) {
        let write = if segment.writable { elf::SHF_WRITE } else { 0 };
        w.write_section_header(&SectionHeader {
            name: Some(*name),
            sh_type: elf::SHT_PROGBITS,
            sh_flags: (elf::SHF_ALLOC | write) as u64,
            sh_addr: segment.base as u64,
            sh_offset: *offset as u64,
            sh_size: segment.bytes.len() as u64,
            sh_link: 0,
            sh_info: 0,
            sh_addralign: 1,
            sh_entsize: 0,
        });
    }
    for ((_, bytes), (name, _, offset)) in debug.iter().zip(&debug_sections) {
        w.write_section_header(&SectionHeader {
            name: Some(*name),
            sh_type: elf::SHT_PROGBITS,
            sh_flags: 0,
            sh_addr: 0,
            sh_offset: *offset as u64,
            sh_size: bytes.len() as u64,
            sh_link: 0,
            sh_info: 0,
            sh_addralign: 1,
            sh_entsize: 0,
        });
    }
    w.write_symtab_section_header(1 + locals.len() as u32);
    w.write_strtab_section_header();
    w.write_shstrtab_section_header();
    debug_assert_eq!(w.reserved_len(), w.len());
    drop(w);
    buffer.result()?;
    Ok(())
}
