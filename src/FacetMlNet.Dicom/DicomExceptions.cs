namespace FacetMlNet.Dicom;

/// <summary>A file is not well-formed DICOM: names the file, the tag being read and the byte offset.</summary>
public class DicomFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DicomFormatException(string? file, DicomTag? tag, long offset, string problem, Exception? inner = null)
        : base(Describe(file, tag, offset, problem), inner)
    {
        FilePath = file;
        Tag = tag;
        Offset = offset;
        Problem = problem;
    }

    /// <summary>The file, where known.</summary>
    public string? FilePath { get; }

    /// <summary>The tag being read, where known.</summary>
    public DicomTag? Tag { get; }

    /// <summary>Byte offset in the file (or in the inflated stream of a deflated file).</summary>
    public long Offset { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    private static string Describe(string? file, DicomTag? tag, long offset, string problem) =>
        $"{file ?? "<stream>"}: {problem}" + (tag is { } t ? $" (tag {t}" : " (") + $"{(tag is null ? "" : ", ")}offset {offset})";
}

/// <summary>Pixel data that FacetMlNet cannot decode: names the file and the transfer syntax and says how to transcode.</summary>
public class DicomCodecException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DicomCodecException(string? file, DicomTransferSyntax syntax, string problem, Exception? inner = null)
        : base($"{file ?? "<stream>"}: {problem} [{syntax}]" + (syntax.TranscodeHint is { } hint ? $". Transcode it first, e.g. `{hint}`." : "."), inner)
    {
        FilePath = file;
        TransferSyntax = syntax;
    }

    /// <summary>The file, where known.</summary>
    public string? FilePath { get; }

    /// <summary>The transfer syntax of the pixel data.</summary>
    public DicomTransferSyntax TransferSyntax { get; }
}

/// <summary>A data set lacks an attribute, or holds a value that cannot be used, for the operation asked.</summary>
public class DicomDataException(string message) : Exception(message);
