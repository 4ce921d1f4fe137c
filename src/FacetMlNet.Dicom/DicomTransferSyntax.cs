namespace FacetMlNet.Dicom;

/// <summary>A DICOM transfer syntax: byte order, VR encoding and pixel compression (PS3.5 §10).</summary>
public sealed class DicomTransferSyntax
{
    private static readonly Dictionary<string, DicomTransferSyntax> ByUid = new(StringComparer.Ordinal);

    private DicomTransferSyntax(string uid, string name, bool explicitVR = true, bool bigEndian = false,
        bool encapsulated = false, bool deflated = false, string? transcodeHint = null)
    {
        UID = uid;
        Name = name;
        IsExplicitVR = explicitVR;
        IsBigEndian = bigEndian;
        IsEncapsulated = encapsulated;
        IsDeflated = deflated;
        TranscodeHint = transcodeHint;
        ByUid[uid] = this;
    }

    /// <summary>The transfer syntax UID.</summary>
    public string UID { get; }

    /// <summary>The name in PS3.6 Table A-1.</summary>
    public string Name { get; }

    /// <summary>True when each element carries its VR.</summary>
    public bool IsExplicitVR { get; }

    /// <summary>True for the retired big-endian syntax.</summary>
    public bool IsBigEndian { get; }

    /// <summary>True when pixel data are compressed into fragments.</summary>
    public bool IsEncapsulated { get; }

    /// <summary>True when the whole data set is deflate-compressed.</summary>
    public bool IsDeflated { get; }

    /// <summary>How to turn such a file into one FacetMlNet decodes, where it does not (a command line).</summary>
    public string? TranscodeHint { get; }

#pragma warning disable CS1591 // Names follow the DICOM keywords.
    public static readonly DicomTransferSyntax ImplicitVRLittleEndian = new("1.2.840.10008.1.2", "Implicit VR Little Endian", explicitVR: false);
    public static readonly DicomTransferSyntax ExplicitVRLittleEndian = new("1.2.840.10008.1.2.1", "Explicit VR Little Endian");
    public static readonly DicomTransferSyntax DeflatedExplicitVRLittleEndian = new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", deflated: true);
    public static readonly DicomTransferSyntax ExplicitVRBigEndian = new("1.2.840.10008.1.2.2", "Explicit VR Big Endian (retired)", bigEndian: true);
    public static readonly DicomTransferSyntax JPEGBaseline = new("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", encapsulated: true, transcodeHint: "dcmdjpeg in.dcm out.dcm");
    public static readonly DicomTransferSyntax JPEGExtended = new("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)", encapsulated: true, transcodeHint: "dcmdjpeg in.dcm out.dcm");
    public static readonly DicomTransferSyntax JPEGSpectralSelection68 = new("1.2.840.10008.1.2.4.53", "JPEG Spectral Selection, Non-Hierarchical (Process 6 & 8, retired)", encapsulated: true);
    public static readonly DicomTransferSyntax JPEGFullProgression1012 = new("1.2.840.10008.1.2.4.55", "JPEG Full Progression, Non-Hierarchical (Process 10 & 12, retired)", encapsulated: true);
    public static readonly DicomTransferSyntax JPEGLossless14 = new("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", encapsulated: true, transcodeHint: "dcmdjpeg in.dcm out.dcm");
    public static readonly DicomTransferSyntax JPEGLossless14SV1 = new("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 SV1)", encapsulated: true, transcodeHint: "dcmdjpeg in.dcm out.dcm");
    public static readonly DicomTransferSyntax JPEGLSLossless = new("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless", encapsulated: true);
    public static readonly DicomTransferSyntax JPEGLSNearLossless = new("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless)", encapsulated: true);
    public static readonly DicomTransferSyntax JPEG2000Lossless = new("1.2.840.10008.1.2.4.90", "JPEG 2000 (Lossless Only)", encapsulated: true);
    public static readonly DicomTransferSyntax JPEG2000 = new("1.2.840.10008.1.2.4.91", "JPEG 2000", encapsulated: true);
    public static readonly DicomTransferSyntax HTJ2KLossless = new("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 (Lossless Only)", encapsulated: true, transcodeHint: "gdcmconv --raw in.dcm out.dcm (GDCM 3.2+)");
    public static readonly DicomTransferSyntax HTJ2KLosslessRPCL = new("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options (Lossless Only)", encapsulated: true, transcodeHint: "gdcmconv --raw in.dcm out.dcm (GDCM 3.2+)");
    public static readonly DicomTransferSyntax HTJ2K = new("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000", encapsulated: true, transcodeHint: "gdcmconv --raw in.dcm out.dcm (GDCM 3.2+)");
    public static readonly DicomTransferSyntax RLELossless = new("1.2.840.10008.1.2.5", "RLE Lossless", encapsulated: true, transcodeHint: "dcmdrle in.dcm out.dcm");
    public static readonly DicomTransferSyntax DeflatedImageFrameCompression = new("1.2.840.10008.1.2.8.1", "Deflated Image Frame Compression", encapsulated: true);
#pragma warning restore CS1591

    /// <summary>Looks up a transfer syntax; an unknown UID is treated as an encapsulated syntax of that UID.</summary>
    public static DicomTransferSyntax Parse(string uid)
    {
        uid = uid.Trim('\0', ' ');
        lock (ByUid)
            return ByUid.TryGetValue(uid, out var ts) ? ts : new DicomTransferSyntax(uid, $"Unknown transfer syntax {uid}", encapsulated: true);
    }

    /// <summary>Known transfer syntaxes.</summary>
    public static IReadOnlyCollection<DicomTransferSyntax> Known { get { lock (ByUid) return [.. ByUid.Values]; } }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({UID})";
}
