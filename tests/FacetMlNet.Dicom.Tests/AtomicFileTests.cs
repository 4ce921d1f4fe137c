using FacetMlNet.Dicom.IO;

namespace FacetMlNet.Dicom.Tests;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("facetml-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Writes_the_file_creating_its_folder_and_leaves_no_temporary()
    {
        var path = Path.Combine(_dir, "a", "b", "report.md");
        AtomicFile.WriteAllText(path, "first");
        AtomicFile.WriteAllText(path, "second");
        Assert.Equal("second", File.ReadAllText(path));
        Assert.Equal(["report.md"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void A_failing_writer_leaves_the_old_file_untouched_and_no_temporary()
    {
        var path = Path.Combine(_dir, "model.zip");
        AtomicFile.WriteAllBytes(path, [1, 2, 3]);
        var e = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, temporary =>
        {
            File.WriteAllBytes(temporary, [9, 9]); // half-written, then the writer fails
            throw new InvalidOperationException("disk full");
        }));
        Assert.Equal("disk full", e.Message);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal(["model.zip"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Concurrent_writers_of_one_file_leave_one_whole_version()
    {
        var path = Path.Combine(_dir, "embedding.bin");
        var versions = Enumerable.Range(0, 8).Select(i => Enumerable.Repeat((byte)i, 100_000).ToArray()).ToArray();
        Parallel.ForEach(versions, v => AtomicFile.WriteAllBytes(path, v));
        var bytes = File.ReadAllBytes(path);
        Assert.Contains(versions, v => v.AsSpan().SequenceEqual(bytes));
        Assert.Single(Directory.GetFiles(_dir));
    }
}
