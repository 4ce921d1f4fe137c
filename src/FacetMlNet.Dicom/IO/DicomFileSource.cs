using Microsoft.Win32.SafeHandles;

namespace FacetMlNet.Dicom.IO;

/// <summary>
/// The file behind values read on demand. Each read opens the file anew (no handle is held between reads) and first
/// checks that its length and modification time are those seen when it was opened, as pydicom does for deferred values:
/// a file rewritten since is an error, not silently different pixels.
/// </summary>
internal sealed class DicomFileSource(string path, long length, DateTime lastWriteUtc)
{
    public string Path { get; } = path;

    public long Length { get; } = length;

    public static DicomFileSource Of(SafeFileHandle handle, string path, long length) =>
        new(path, length, File.GetLastWriteTimeUtc(handle));

    /// <summary>Reads <paramref name="destination"/>.Length bytes at <paramref name="offset"/>.</summary>
    /// <exception cref="DicomFormatException">The file cannot be read, is shorter, or changed since it was opened.</exception>
    public void Read(long offset, Span<byte> destination, DicomTag? tag)
    {
        try
        {
            using var handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (RandomAccess.GetLength(handle) != Length || File.GetLastWriteTimeUtc(handle) != lastWriteUtc)
                throw new DicomFormatException(Path, tag, offset, "the file changed since it was opened; open it again to read this value");
            ReadExactly(handle, offset, destination, Path, tag);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DicomFormatException(Path, tag, offset, $"cannot read the value from the file: {e.Message}", e);
        }
    }

    /// <summary>Reads exactly the destination's length at an offset of an open file.</summary>
    /// <exception cref="DicomFormatException">The file ends first.</exception>
    public static void ReadExactly(SafeFileHandle handle, long offset, Span<byte> destination, string path, DicomTag? tag)
    {
        var done = 0;
        while (done < destination.Length)
        {
            var n = RandomAccess.Read(handle, destination[done..], offset + done);
            if (n == 0) throw new DicomFormatException(path, tag, offset + done, $"the file ends {destination.Length - done} byte(s) short of the value");
            done += n;
        }
    }
}
