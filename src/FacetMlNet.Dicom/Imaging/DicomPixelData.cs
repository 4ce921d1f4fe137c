using System.Buffers.Binary;

namespace FacetMlNet.Dicom.Imaging;

/// <summary>The Image Pixel module of a data set and access to each frame's stored values.</summary>
public sealed class DicomPixelData
{
    private readonly DicomItem _pixelItem;
    private readonly string? _file;

    private DicomPixelData(DicomDataset dataset, DicomTransferSyntax syntax, string? file)
    {
        _file = file;
        TransferSyntax = syntax;
        _pixelItem = dataset.GetItem(DicomTag.PixelData)
            ?? throw new DicomDataException($"{file ?? "<dataset>"}: no Pixel Data (7FE0,0010).");
        Rows = Required(dataset, DicomTag.Rows, file);
        Columns = Required(dataset, DicomTag.Columns, file);
        BitsAllocated = Required(dataset, DicomTag.BitsAllocated, file);
        BitsStored = (int)dataset.GetNumberOrDefault(DicomTag.BitsStored, BitsAllocated);
        HighBit = (int)dataset.GetNumberOrDefault(DicomTag.HighBit, BitsStored - 1);
        PixelRepresentation = (int)dataset.GetNumberOrDefault(DicomTag.PixelRepresentation, 0);
        SamplesPerPixel = (int)dataset.GetNumberOrDefault(DicomTag.SamplesPerPixel, 1);
        PlanarConfiguration = (int)dataset.GetNumberOrDefault(DicomTag.PlanarConfiguration, 0);
        NumberOfFrames = Math.Max(1, (int)dataset.GetNumberOrDefault(DicomTag.NumberOfFrames, 1));
        PhotometricInterpretation = dataset.GetStringOrDefault(DicomTag.PhotometricInterpretation, "MONOCHROME2");
        if (Rows <= 0 || Columns <= 0) throw new DicomDataException($"{file}: image of {Rows} × {Columns} pixels.");
        if (BitsAllocated is not (1 or 8 or 16 or 32 or 64)) throw new DicomDataException($"{file}: Bits Allocated {BitsAllocated} is not supported.");
        if (BitsStored < 1 || BitsStored > BitsAllocated) throw new DicomDataException($"{file}: Bits Stored {BitsStored} with Bits Allocated {BitsAllocated}.");
    }

    private static int Required(DicomDataset dataset, DicomTag tag, string? file)
    {
        try { return (int)dataset.GetNumber(tag); }
        catch (DicomDataException e) { throw new DicomDataException($"{file ?? "<dataset>"}: {e.Message}"); }
    }

    /// <summary>Reads the pixel module of a file.</summary>
    /// <exception cref="DicomDataException">No pixel data, or a pixel module that makes no sense.</exception>
    public static DicomPixelData Create(DicomFile file) => new(file.Dataset, file.TransferSyntax, file.FilePath);

#pragma warning disable CS1591 // Image Pixel module attributes, PS3.3 C.7.6.3.
    public int Rows { get; }
    public int Columns { get; }
    public int BitsAllocated { get; }
    public int BitsStored { get; }
    public int HighBit { get; }
    public int PixelRepresentation { get; }
    public int SamplesPerPixel { get; }
    public int PlanarConfiguration { get; }
    public int NumberOfFrames { get; }
    public string PhotometricInterpretation { get; }
    public DicomTransferSyntax TransferSyntax { get; }
#pragma warning restore CS1591

    /// <summary>True for signed stored values.</summary>
    public bool IsSigned => PixelRepresentation == 1;

    /// <summary>Stored values of one frame of a single-sample (grey) image, sign-extended from Bits Stored.</summary>
    /// <exception cref="DicomCodecException">The pixel data are compressed in a syntax this reader does not decode.</exception>
    /// <exception cref="DicomDataException">Not a grey image, or the pixel data are shorter than the module says.</exception>
    public int[] GetStoredValues(int frame)
    {
        if (SamplesPerPixel != 1)
            throw new DicomDataException($"{_file}: {PhotometricInterpretation} with {SamplesPerPixel} samples per pixel is not a grey image.");
        if (frame < 0 || frame >= NumberOfFrames)
            throw new ArgumentOutOfRangeException(nameof(frame), $"{_file}: frame {frame} of {NumberOfFrames}.");
        if (_pixelItem is not DicomElement element)
            throw new DicomCodecException(_file, TransferSyntax, "compressed pixel data are not decoded yet");
        if (BitsAllocated is not (8 or 16 or 32))
            throw new DicomDataException($"{_file}: grey pixels of {BitsAllocated} bits allocated are not supported.");

        var pixels = Rows * Columns;
        var bytesPerPixel = BitsAllocated / 8;
        var frameBytes = (long)pixels * bytesPerPixel;
        var start = frameBytes * frame;
        if (start + frameBytes > element.Buffer.Length)
            throw new DicomDataException($"{_file}: pixel data hold {element.Buffer.Length} bytes; frame {frame} needs bytes {start}–{start + frameBytes}.");
        var src = element.Buffer.Span.Slice((int)start, (int)frameBytes);
        // Big-endian OB pixel data of 8 bits has no byte order; OW and wider words do.
        var bigEndian = element.IsBigEndian && element.VR != DicomVR.OB;
        var values = new int[pixels];
        var shift = 32 - BitsStored;
        for (var i = 0; i < pixels; i++)
        {
            uint raw = bytesPerPixel switch
            {
                1 => src[i],
                2 => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(src[(i * 2)..]) : BinaryPrimitives.ReadUInt16LittleEndian(src[(i * 2)..]),
                _ => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(src[(i * 4)..]) : BinaryPrimitives.ReadUInt32LittleEndian(src[(i * 4)..]),
            };
            // Keep bits (HighBit−BitsStored+1 … HighBit); drop overlay/garbage bits above them.
            raw >>= HighBit + 1 - BitsStored;
            values[i] = IsSigned ? (int)(raw << shift) >> shift : (int)(raw << shift >>> shift);
        }
        return values;
    }
}
