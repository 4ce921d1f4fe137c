namespace FacetMlNet.Dicom.IO;

/// <summary>
/// Writes a file so that nobody sees half of it: into a temporary file beside the target, moved over it when complete,
/// the temporary removed when writing fails (the old file, if any, is then untouched). Every FacetMlNet writer uses it;
/// it lives in the lowest library so that all of them can.
/// </summary>
public static class AtomicFile
{
    /// <summary>Lets <paramref name="writeTemporary"/> write the temporary file whose path it is given, then moves it to <paramref name="path"/>.</summary>
    /// <remarks>For writers that insist on a path of their own (ML.NET's <c>Model.Save</c>, ScottPlot's <c>SavePng</c>).</remarks>
    public static void Write(string path, Action<string> writeTemporary)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        // Unique per call, so concurrent writers of one target (threads or processes) never share a temporary; hidden,
        // and ending in .tmp, so that a folder scan for *.dcm or *.png never picks it up.
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            writeTemporary(temporary);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, temporary => File.WriteAllBytes(temporary, bytes));

    /// <summary>Writes <paramref name="text"/> (UTF-8) to <paramref name="path"/> atomically.</summary>
    public static void WriteAllText(string path, string text) => Write(path, temporary => File.WriteAllText(temporary, text));
}
