namespace FacetMlNet.Dicom;

/// <summary>How <see cref="DicomFile.Open(string, DicomReadOptions?)"/> reads a file from disk.</summary>
/// <remarks>
/// As fo-dicom's <c>ReadLargeOnDemand</c> and pydicom's <c>defer_size</c>: a large value (Pixel Data above all) is
/// not read when the file is opened but when it is used, and then only the part asked for (one frame of a
/// multi-frame image). Opening a series therefore costs its headers, and decoding a slice reads that slice once.
/// </remarks>
public sealed record DicomReadOptions
{
    /// <summary>Large values are read when used: the default.</summary>
    public static DicomReadOptions Default { get; } = new();

    /// <summary>Every value is read when the file is opened (the file may then change or go away).</summary>
    public static DicomReadOptions ReadAll { get; } = new() { LargeValueThreshold = null };

    /// <summary>
    /// Top-level values of at least this many bytes are read from the file when used; null reads everything at once.
    /// Values inside sequences are always read at once. Default 64 KiB.
    /// </summary>
    public int? LargeValueThreshold
    {
        get;
        init => field = value is null or > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), "The threshold must be positive.");
    } = 64 * 1024;

    /// <summary>First read of a file, grown as a header needs it; small so that a CT slice's header costs one read.</summary>
    internal int FirstReadSize
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    } = 16 * 1024;
}
