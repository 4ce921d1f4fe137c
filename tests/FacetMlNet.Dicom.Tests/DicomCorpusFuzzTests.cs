namespace FacetMlNet.Dicom.Tests;

/// <summary>
/// Mutation fuzzing of real files, bounded for CI: byte flips, truncations and length edits of corpus files may only
/// raise the documented exceptions (`facetml bench fuzz` runs it longer).
/// </summary>
public class DicomCorpusFuzzTests
{
    [SkippableFact]
    public void Mutated_corpus_files_raise_only_documented_exceptions()
    {
        Skip.If(DicomCorpus.Directory is null, DicomCorpus.SkipReason);
        var files = DicomCorpus.Entries().Select(DicomCorpus.PathOf).Where(p => new FileInfo(p).Length < 400_000).Order(StringComparer.Ordinal).ToList();
        var rng = new Random(20261204);
        foreach (var path in files)
        {
            var original = File.ReadAllBytes(path);
            for (var trial = 0; trial < 12; trial++)
            {
                var bytes = DicomFuzz.Mutate(original, rng);
                DicomBadInputTests.OpenAndDecode(bytes, $"{Path.GetFileName(path)}#mutant{trial}");
            }
        }
    }
}

/// <summary>Mutations a broken PACS export or a hostile file might show.</summary>
internal static class DicomFuzz
{
    public static byte[] Mutate(byte[] original, Random rng)
    {
        var bytes = (byte[])original.Clone();
        switch (rng.Next(3))
        {
            case 0: // flips
                for (var n = rng.Next(1, 8); n > 0; n--) bytes[rng.Next(bytes.Length)] = (byte)rng.Next(256);
                return bytes;
            case 1: // truncation
                return bytes[..rng.Next(bytes.Length)];
            default: // a length field made huge or odd: overwrite 4 bytes at an even offset with a large value
                var at = rng.Next(bytes.Length / 2 - 2) * 2;
                BitConverter.GetBytes(rng.Next(2) == 0 ? 0xFFFFFFF0u : (uint)rng.Next()).CopyTo(bytes, at);
                return bytes;
        }
    }
}
