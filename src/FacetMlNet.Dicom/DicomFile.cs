using System.IO.Compression;
using FacetMlNet.Dicom.IO;

namespace FacetMlNet.Dicom;

/// <summary>A DICOM Part 10 file: its file meta information and its data set.</summary>
public sealed class DicomFile
{
    /// <summary>Creates a file from a data set to be saved, with the transfer syntax to write.</summary>
    public DicomFile(DicomDataset dataset, DicomDataset? fileMetaInfo = null, string? path = null)
    {
        Dataset = dataset;
        FileMetaInfo = fileMetaInfo ?? new DicomDataset();
        FilePath = path;
        TransferSyntax = FileMetaInfo.TryGetString(DicomTag.TransferSyntaxUID, out var uid)
            ? DicomTransferSyntax.Parse(uid) : DicomTransferSyntax.ExplicitVRLittleEndian;
    }

    private DicomFile(DicomDataset dataset, DicomDataset meta, DicomTransferSyntax syntax, string? path, bool hadPreamble)
    {
        Dataset = dataset;
        FileMetaInfo = meta;
        TransferSyntax = syntax;
        FilePath = path;
        HadPreamble = hadPreamble;
    }

    /// <summary>The file meta information group (0002); empty for a file that had none.</summary>
    public DicomDataset FileMetaInfo { get; }

    /// <summary>The main data set.</summary>
    public DicomDataset Dataset { get; }

    /// <summary>The transfer syntax of the data set: from the meta information, or guessed when absent.</summary>
    public DicomTransferSyntax TransferSyntax { get; }

    /// <summary>The path read from, when read from a file.</summary>
    public string? FilePath { get; }

    /// <summary>True when the file began with the 128-byte preamble and "DICM".</summary>
    public bool HadPreamble { get; }

    /// <summary>
    /// Reads a file from disk. By default large values (Pixel Data) stay in the file and are read when used, one frame
    /// at a time (<see cref="DicomReadOptions"/>); <see cref="DicomReadOptions.ReadAll"/> reads everything now.
    /// </summary>
    /// <exception cref="DicomFormatException">The file is not DICOM or is malformed; the message names file, tag and offset.</exception>
    public static DicomFile Open(string path, DicomReadOptions? options = null) =>
        DicomFileReader.Read(path, options ?? DicomReadOptions.Default, stopAtPixelData: false);

    /// <summary>
    /// Reads the header of a file: every element before Pixel Data, which is left out. Only the first few KiB are read
    /// when the header fits in them (indexing a PACS export then costs a fraction of its size).
    /// </summary>
    /// <exception cref="DicomFormatException">The file is not DICOM or is malformed.</exception>
    public static DicomFile OpenHeader(string path)
    {
        var file = DicomFileReader.Read(path, DicomReadOptions.Default, stopAtPixelData: true);
        file.Dataset.Remove(DicomTag.PixelData);
        return file;
    }

    /// <summary>The SOP Class of a DICOMDIR (Media Storage Directory Storage): an index of a medium, not an image.</summary>
    public const string MediaStorageDirectoryClassUid = "1.2.840.10008.1.3.10";

    /// <summary>
    /// True when a file looks like DICOM from its first bytes, as fo-dicom's <c>HasValidHeader</c>: "DICM" after the
    /// 128-byte preamble, or, for files without one, a first element of group 0002 or 0008 in a readable encoding.
    /// False for unreadable files. Real exports name files anyhow (no extension, .DCM, .dicom), so look inside.
    /// </summary>
    public static bool HasValidHeader(string path)
    {
        Span<byte> head = stackalloc byte[132];
        int n;
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            n = RandomAccess.Read(handle, head, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        if (n == 132 && head[128..].SequenceEqual("DICM"u8)) return true;
        if (n < 8) return false;
        var groupLE = head[0] | head[1] << 8;
        var groupBE = head[0] << 8 | head[1];
        if (groupLE is not (0x0002 or 0x0008) && groupBE != 0x0008) return false;
        // Explicit VR: a known VR code; implicit VR: a 4-byte length of a sane header element.
        var explicitVR = DicomVR.TryParse(head[4], head[5], out _);
        var implicitLength = (uint)(head[4] | head[5] << 8 | head[6] << 16 | head[7] << 24);
        return explicitVR || implicitLength < 0x10000;
    }

    /// <summary>
    /// Every DICOM file under a folder (recursively, by name in ordinal order), whatever its extension; DICOMDIR files
    /// and files that are not DICOM are left out.
    /// </summary>
    public static IEnumerable<string> FindFiles(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Where(path => !Path.GetFileName(path).Equals("DICOMDIR", StringComparison.OrdinalIgnoreCase) && HasValidHeader(path));

    /// <summary>Reads a file from memory; <paramref name="name"/> is used in error messages.</summary>
    /// <exception cref="DicomFormatException">The bytes are not DICOM or are malformed.</exception>
    public static DicomFile Open(ReadOnlyMemory<byte> bytes, string? name = null) => Open(bytes, name, stopAtPixelData: false);

    internal static DicomFile Open(ReadOnlyMemory<byte> bytes, string? name, bool stopAtPixelData)
    {
        var head = ReadHead(bytes, name);
        var body = bytes[head.BodyOffset..];
        long bodyOffset = head.BodyOffset;
        if (head.Syntax.IsDeflated)
        {
            body = Inflate(body, name, head.BodyOffset);
            bodyOffset = 0;
        }
        var parser = new DicomStreamParser(body, name, head.Syntax.IsExplicitVR, head.Syntax.IsBigEndian, bodyOffset);
        var dataset = parser.ReadDataset(new DicomDataset(), stopAtPixelData ? IsPixelDataOrLater : null);
        return Create(head, dataset, name);
    }

    internal static bool IsPixelDataOrLater(DicomTag tag) => tag.Group >= 0x7FE0;

    internal static DicomFile Create(DicomHead head, DicomDataset dataset, string? name)
    {
        if (dataset.Count == 0 && head.Meta.Count == 0)
            throw new DicomFormatException(name, null, head.BodyOffset, "no DICOM elements found");
        return new DicomFile(dataset, head.Meta, head.Syntax, name, head.HadPreamble);
    }

    /// <summary>The preamble, the file meta group and the transfer syntax: everything before the data set.</summary>
    /// <param name="bytes">The file's first bytes.</param>
    /// <param name="name">The file, for errors.</param>
    /// <param name="complete">False when more of the file follows: running out of bytes then asks for more.</param>
    internal static DicomHead ReadHead(ReadOnlyMemory<byte> bytes, string? name, bool complete = true)
    {
        // Too few bytes to see the preamble, or a meta group that reaches the end of them: read more before deciding.
        if (!complete && bytes.Length < 140) throw new DicomWindowExhaustedException(bytes.Length + 1);
        var span = bytes.Span;
        var offset = 0;
        var hadPreamble = false;
        if (span.Length >= 132 && span.Slice(128, 4).SequenceEqual("DICM"u8))
        {
            offset = 132;
            hadPreamble = true;
        }
        else if (span.Length >= 4 && span[..4].SequenceEqual("DICM"u8)) offset = 4;

        var meta = new DicomDataset();
        if (LooksLikeMetaGroup(span[offset..]))
        {
            // The meta group is always Explicit VR Little Endian; read until its group ends (as pydicom does,
            // rather than trusting (0002,0000), which some writers get wrong).
            var metaParser = new DicomStreamParser(bytes[offset..], name, explicitVR: true, bigEndian: false, offset);
            metaParser.ReadDataset(meta, t => t.Group != 0x0002);
            if (!complete && metaParser.AtEnd) throw new DicomWindowExhaustedException(bytes.Length + 1);
            offset += metaParser.Position;
        }
        else if (!hadPreamble && span.Length < 8)
            throw new DicomFormatException(name, null, 0, "file is too short to be DICOM");

        var syntax = meta.TryGetString(DicomTag.TransferSyntaxUID, out var uid)
            ? DicomTransferSyntax.Parse(uid)
            : GuessTransferSyntax(span[offset..], name, offset);
        return new DicomHead(meta, syntax, offset, hadPreamble);
    }

    private static bool LooksLikeMetaGroup(ReadOnlySpan<byte> s) =>
        s.Length >= 6 && s[0] == 0x02 && s[1] == 0x00 && s[4] is >= (byte)'A' and <= (byte)'Z' && s[5] is >= (byte)'A' and <= (byte)'Z';

    /// <summary>
    /// Without meta information, guess as pydicom does: a VR-shaped pair of letters after the first tag means
    /// explicit VR; a first group that only reads sensibly byte-swapped means big endian.
    /// </summary>
    private static DicomTransferSyntax GuessTransferSyntax(ReadOnlySpan<byte> s, string? name, long offset)
    {
        if (s.Length < 8) throw new DicomFormatException(name, null, offset, "no file meta information and too few bytes to guess a transfer syntax");
        var explicitVR = DicomVR.TryParse($"{(char)s[4]}{(char)s[5]}", out _);
        var groupLE = (ushort)(s[0] | s[1] << 8);
        var groupBE = (ushort)(s[0] << 8 | s[1]);
        var bigEndian = groupLE > 0x00FF && groupBE <= 0x00FF;
        if (bigEndian) return DicomTransferSyntax.ExplicitVRBigEndian;
        return explicitVR ? DicomTransferSyntax.ExplicitVRLittleEndian : DicomTransferSyntax.ImplicitVRLittleEndian;
    }

    private static byte[] Inflate(ReadOnlyMemory<byte> deflated, string? name, long offset)
    {
        try
        {
            using var input = new MemoryStream(deflated.ToArray(), writable: false);
            using var inflater = new DeflateStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            inflater.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new DicomFormatException(name, null, offset, $"deflated data set cannot be inflated: {e.Message}", e);
        }
    }

    /// <summary>Saves the file in Explicit VR Little Endian with a complete file meta group.</summary>
    /// <remarks>Written to a temporary file and moved into place, so a failure leaves nothing half-written.</remarks>
    public void Save(string path) => IO.DicomWriter.Save(this, path);
}

/// <summary>What precedes the data set: the meta group, the transfer syntax, where the data set begins.</summary>
internal sealed record DicomHead(DicomDataset Meta, DicomTransferSyntax Syntax, int BodyOffset, bool HadPreamble);
