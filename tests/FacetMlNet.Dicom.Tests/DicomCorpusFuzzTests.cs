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
        var dir = Directory.CreateTempSubdirectory("facetml-fuzz-").FullName;
        try
        {
            foreach (var path in files)
            {
                var original = File.ReadAllBytes(path);
                for (var trial = 0; trial < 12; trial++)
                {
                    var bytes = DicomFuzz.Mutate(original, rng);
                    DicomBadInputTests.OpenAndDecode(bytes, $"{Path.GetFileName(path)}#mutant{trial}");
                    if (trial % 3 != 0) continue;
                    // A third of the mutants also from disk, in tiny windows with almost every value deferred.
                    var mutant = Path.Combine(dir, $"{Path.GetFileName(path)}#mutant{trial}");
                    File.WriteAllBytes(mutant, bytes);
                    DicomBadInputTests.OpenAndDecode(mutant, DicomDeferredReadTests.Tiny);
                }
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
