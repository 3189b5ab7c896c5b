// Compiled by MSBuild's RoslynCodeTaskFactory from MLNet.Transformers.TorchSharp.targets (and by the tests, with
// GLIBCXX_PATCH_TESTS defined, which leaves the MSBuild task out). One file, netstandard2.0 only: MSBuild compiles
// inline tasks against it.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace MLNet.Transformers.TorchSharp.Build
{
    /// <summary>
    /// Makes TorchSharp's native <c>libLibTorchSharp.so</c> load where libstdc++ is older than the one it was linked
    /// against. Its version needs list <c>GLIBCXX_3.4.32</c> for one symbol, <c>_ZSt21ios_base_library_initv</c>,
    /// that no relocation uses; the loader refuses a library whose needed version is missing unless the entry is weak.
    /// <see cref="Patch"/> sets the weak flag on exactly that entry, after checking that the file is the library
    /// described here (ELF64 little-endian, the entry under <c>libstdc++.so.6</c>, only that symbol on its version
    /// index, no relocation naming it) and refuses anything else.
    /// </summary>
    public static class GlibcxxVersionNeed
    {
        /// <summary>The version the native library needs and older libstdc++ lacks.</summary>
        public const string Version = "GLIBCXX_3.4.32";

        /// <summary>The only symbol bound to <see cref="Version"/>.</summary>
        public const string Symbol = "_ZSt21ios_base_library_initv";

        private const string Library = "libstdc++.so.6";
        private const uint VersionNeedsSection = 0x6ffffffe;    // SHT_GNU_verneed
        private const uint VersionDefinitionsSection = 0x6ffffffd; // SHT_GNU_verdef
        private const uint VersionSymbolsSection = 0x6fffffff;  // SHT_GNU_versym
        private const uint DynamicSymbolsSection = 11;         // SHT_DYNSYM
        private const uint RelocationsSection = 4;             // SHT_RELA
        private const uint RelocationsWithoutAddendSection = 9; // SHT_REL
        private const ushort WeakFlag = 0x2;                   // VER_FLG_WEAK
        private const int SymbolSize = 24, RelaSize = 24, RelSize = 16;

        /// <summary>What <see cref="Patch"/> did.</summary>
        public enum Outcome
        {
            /// <summary>The entry was strong and is now weak.</summary>
            Patched,

            /// <summary>The entry was already weak: nothing written.</summary>
            AlreadyWeak,

            /// <summary>The library needs no <see cref="Version"/> (another TorchSharp build): nothing written.</summary>
            NotNeeded,
        }

        /// <summary>Whether the libstdc++ at <paramref name="path"/> defines <see cref="Version"/>.</summary>
        /// <exception cref="InvalidDataException">The file is not an ELF64 little-endian shared library.</exception>
        public static bool Defines(string path)
        {
            var elf = new ElfFile(File.ReadAllBytes(path), path);
            foreach (var section in elf.Sections.Where(s => s.Type == VersionDefinitionsSection))
            {
                var strings = elf.Sections[(int)section.Link];
                for (long entry = section.Offset, i = 0; i < section.Info; i++)
                {
                    var count = elf.U16(entry + 6);
                    var aux = entry + elf.U32(entry + 12);
                    if (count > 0 && elf.String(strings, elf.U32(aux)) == Version) return true;
                    entry += elf.U32(entry + 16);
                }
            }
            return false;
        }

        /// <summary>
        /// The libstdc++ the dynamic loader would take first: the directories of <c>LD_LIBRARY_PATH</c>, then the
        /// system's library directories; null when none is found.
        /// </summary>
        public static string? FindSystemLibrary()
        {
            var searched = (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "")
                .Split(new[] { ':' }, StringSplitOptions.RemoveEmptyEntries)
                .Concat(new[] { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib" });
            return searched.Select(d => Path.Combine(d, Library)).FirstOrDefault(File.Exists);
        }

        /// <summary>
        /// Marks the <see cref="Version"/> need of the library at <paramref name="path"/> weak, writing a new file in
        /// its place (never through a hard link into a package cache). Idempotent.
        /// </summary>
        /// <exception cref="InvalidDataException">The file is not the library described above; the message says why and nothing is written.</exception>
        public static Outcome Patch(string path)
        {
            var bytes = File.ReadAllBytes(path);
            var elf = new ElfFile(bytes, path);
            var (flagsOffset, index) = elf.FindNeed(Library, Version);
            if (flagsOffset < 0) return Outcome.NotNeeded;
            var flags = elf.U16(flagsOffset);
            if ((flags & WeakFlag) != 0) return Outcome.AlreadyWeak;
            if (flags != 0) throw elf.Error($"the {Version} need has flags 0x{flags:x}, expected none");
            var symbols = elf.SymbolsWithVersion(index);
            if (symbols.Count != 1 || symbols[0].Name != Symbol)
                throw elf.Error($"version index {index} ({Version}) is used by [{string.Join(", ", symbols.Select(s => s.Name))}], expected only {Symbol}");
            if (elf.IsRelocated(symbols[0].Index))
                throw elf.Error($"{Symbol} is named by a relocation, so a weak need would leave it unresolved");
            bytes[flagsOffset] = (byte)(flags | WeakFlag); // the low byte of the little-endian flags
            var temporary = path + ".patching";
            File.WriteAllBytes(temporary, bytes);
            File.Delete(path);
            File.Move(temporary, path);
            return Outcome.Patched;
        }

        /// <summary>An ELF64 little-endian file in memory, read just enough for the version sections.</summary>
        private sealed class ElfFile
        {
            private readonly byte[] _bytes;
            private readonly string _path;

            public ElfFile(byte[] bytes, string path)
            {
                (_bytes, _path) = (bytes, path);
                if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
                    throw Error("not an ELF file");
                if (bytes[4] != 2 || bytes[5] != 1) throw Error("not a 64-bit little-endian ELF file");
                var (table, size, count) = ((long)U64(0x28), U16(0x3a), U16(0x3c));
                if (size != 64 || table <= 0 || table + (long)count * size > bytes.Length) throw Error("malformed section header table");
                Sections = Enumerable.Range(0, count).Select(i => table + i * size)
                    .Select(h => new Section(U32(h + 4), (long)U64(h + 0x18), (long)U64(h + 0x20), U32(h + 0x28), U32(h + 0x2c)))
                    .ToList();
                if (Sections.Any(s => s.Type != 8 && s.Offset + s.Size > bytes.Length)) throw Error("a section lies outside the file");
            }

            public List<Section> Sections { get; }

            public ushort U16(long at) => (ushort)Read(at, 2);

            public uint U32(long at) => (uint)Read(at, 4);

            public ulong U64(long at) => Read(at, 8);

            /// <summary>A little-endian unsigned integer of <paramref name="size"/> bytes at <paramref name="at"/>.</summary>
            private ulong Read(long at, int size)
            {
                if (at < 0 || at + size > _bytes.Length) throw Error("a table lies outside the file");
                ulong value = 0;
                for (var i = size - 1; i >= 0; i--) value = (value << 8) | _bytes[at + i];
                return value;
            }

            public string String(Section strings, long offset)
            {
                var start = strings.Offset + offset;
                var end = Array.IndexOf(_bytes, (byte)0, (int)start);
                if (offset >= strings.Size || end < 0) throw Error("a name lies outside its string table");
                return Encoding.ASCII.GetString(_bytes, (int)start, (int)(end - start));
            }

            /// <summary>The offset of the flags of <paramref name="version"/> needed from <paramref name="file"/> and its version index; (-1, 0) when not needed.</summary>
            public (long FlagsOffset, ushort Index) FindNeed(string file, string version)
            {
                var needs = Sections.Where(s => s.Type == VersionNeedsSection).ToList();
                if (needs.Count != 1) throw Error($"{needs.Count} version-needs sections, expected 1");
                var (section, strings) = (needs[0], Sections[(int)needs[0].Link]);
                for (long entry = section.Offset, i = 0; i < section.Info; i++)
                {
                    var aux = entry + U32(entry + 8);
                    for (var j = 0; j < U16(entry + 2); j++)
                    {
                        if (String(strings, U32(entry + 4)) == file && String(strings, U32(aux + 8)) == version)
                            return (aux + 4, U16(aux + 6));
                        aux += U32(aux + 12);
                    }
                    entry += U32(entry + 12);
                }
                return (-1, 0);
            }

            /// <summary>The dynamic symbols (index, name) whose version index is <paramref name="index"/>.</summary>
            public List<(int Index, string Name)> SymbolsWithVersion(ushort index)
            {
                var symbols = Single(DynamicSymbolsSection, "dynamic symbol");
                var versions = Single(VersionSymbolsSection, "symbol version");
                var strings = Sections[(int)symbols.Link];
                var count = (int)(symbols.Size / SymbolSize);
                if (versions.Size != 2L * count) throw Error("the symbol version table does not match the dynamic symbols");
                return Enumerable.Range(0, count)
                    .Where(i => (U16(versions.Offset + 2L * i) & 0x7fff) == index)
                    .Select(i => (i, String(strings, U32(symbols.Offset + (long)i * SymbolSize))))
                    .ToList();
            }

            /// <summary>Whether any relocation section names dynamic symbol <paramref name="symbol"/>.</summary>
            public bool IsRelocated(int symbol)
            {
                foreach (var section in Sections.Where(s => s.Type is RelocationsSection or RelocationsWithoutAddendSection))
                {
                    var size = section.Type == RelocationsSection ? RelaSize : RelSize;
                    for (var at = section.Offset; at + size <= section.Offset + section.Size; at += size)
                        if ((long)(U64(at + 8) >> 32) == symbol) return true;
                }
                return false;
            }

            public InvalidDataException Error(string why) =>
                new($"{_path}: {why}; the {Version} fix for TorchSharp's native library leaves this file alone.");

            private Section Single(uint type, string what)
            {
                var found = Sections.Where(s => s.Type == type).ToList();
                return found.Count == 1 ? found[0] : throw Error($"{found.Count} {what} sections, expected 1");
            }
        }

        /// <summary>A section header: type, file offset, size, link and info fields.</summary>
        private sealed class Section
        {
            public Section(uint type, long offset, long size, uint link, uint info) =>
                (Type, Offset, Size, Link, Info) = (type, offset, size, link, info);

            public uint Type { get; }
            public long Offset { get; }
            public long Size { get; }
            public uint Link { get; }
            public uint Info { get; }
        }
    }

#if !GLIBCXX_PATCH_TESTS
    /// <summary>
    /// The build step: for each <c>libLibTorchSharp.so</c> given, when this machine's libstdc++ lacks
    /// <see cref="GlibcxxVersionNeed.Version"/>, marks that need weak (see <see cref="GlibcxxVersionNeed"/>).
    /// </summary>
    public sealed class PatchGlibcxxVersionNeed : Microsoft.Build.Utilities.Task
    {
        /// <summary>The copies of the native library in an output folder.</summary>
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Libraries { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        /// <inheritdoc />
        public override bool Execute()
        {
            var system = GlibcxxVersionNeed.FindSystemLibrary();
            if (system is null || GlibcxxVersionNeed.Defines(system)) return true;
            foreach (var library in Libraries.Select(item => item.GetMetadata("FullPath")).Distinct())
            {
                try
                {
                    var outcome = GlibcxxVersionNeed.Patch(library);
                    if (outcome == GlibcxxVersionNeed.Outcome.Patched)
                        Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                            $"{library}: marked the {GlibcxxVersionNeed.Version} need weak ({system} stops before it).");
                }
                catch (InvalidDataException e)
                {
                    Log.LogError(e.Message);
                }
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}
