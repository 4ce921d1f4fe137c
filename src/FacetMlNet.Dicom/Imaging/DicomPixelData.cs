using System.Buffers.Binary;
using FacetMlNet.Dicom.Codecs;

namespace FacetMlNet.Dicom.Imaging;

/// <summary>The Image Pixel module of a data set and access to each frame's stored values.</summary>
/// <remarks>
/// Decoded colour stays in its photometric interpretation (YBR is not converted to RGB), as pydicom returns it;
/// YBR_FULL_422 native data are expanded to one Y, Cb, Cr triple per pixel, also as pydicom does.
/// </remarks>
public sealed class DicomPixelData
{
    private readonly DicomItem _pixelItem;
    private readonly DicomDataset _dataset;
    private readonly string? _file;

    private DicomPixelData(DicomDataset dataset, DicomTransferSyntax syntax, string? file)
    {
        _file = file;
        _dataset = dataset;
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
        if (BitsAllocated is not (1 or 8 or 16 or 32)) throw new DicomDataException($"{file}: Bits Allocated {BitsAllocated} is not supported.");
        if (BitsStored < 1 || BitsStored > BitsAllocated || HighBit < BitsStored - 1 || HighBit >= BitsAllocated)
            throw new DicomDataException($"{file}: Bits Stored {BitsStored}, High Bit {HighBit} with Bits Allocated {BitsAllocated}.");
        if (SamplesPerPixel is not (1 or 3)) throw new DicomDataException($"{file}: {SamplesPerPixel} samples per pixel.");
        if ((long)Rows * Columns * SamplesPerPixel * 4 > Array.MaxLength)
            throw new DicomDataException($"{file}: a frame of {Rows} × {Columns} × {SamplesPerPixel} samples is larger than one array can hold.");
    }

    private static int Required(DicomDataset dataset, DicomTag tag, string? file)
    {
        try { return (int)dataset.GetNumber(tag); }
        catch (DicomDataException e) { throw new DicomDataException($"{file ?? "<dataset>"}: {e.Message}"); }
    }

    /// <summary>Reads the pixel module of a file.</summary>
    /// <exception cref="DicomDataException">No pixel data, or a pixel module that makes no sense; the message names the file.</exception>
    public static DicomPixelData Create(DicomFile file)
    {
        try
        {
            return new(file.Dataset, file.TransferSyntax, file.FilePath);
        }
        catch (DicomDataException e) when (file.FilePath is not null && !e.Message.StartsWith(file.FilePath, StringComparison.Ordinal))
        {
            throw new DicomDataException($"{file.FilePath}: {e.Message}");
        }
    }

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

    /// <summary>True when the pixel data are encapsulated (compressed).</summary>
    public bool IsEncapsulated => _pixelItem is DicomFragmentSequence;

    /// <summary>Stored values of one frame of a single-sample (grey) image, sign-extended from Bits Stored.</summary>
    /// <exception cref="DicomCodecException">The pixel data are compressed in a syntax this reader does not decode.</exception>
    /// <exception cref="DicomDataException">Not a grey image, or the pixel data are shorter than the module says.</exception>
    public int[] GetStoredValues(int frame)
    {
        if (SamplesPerPixel != 1)
            throw new DicomDataException($"{_file}: {PhotometricInterpretation} with {SamplesPerPixel} samples per pixel is not a grey image.");
        return GetFrameSamples(frame);
    }

    /// <summary>
    /// Stored values of one frame, samples pixel-interleaved (R, G, B, R, …), Rows × Columns × SamplesPerPixel:
    /// decoded where compressed, planar data interleaved, bits outside Bits Stored dropped, signed values sign-extended.
    /// </summary>
    /// <exception cref="DicomCodecException">A compressed syntax this reader does not decode, or a corrupt stream.</exception>
    /// <exception cref="DicomDataException">The pixel data are shorter than the module says.</exception>
    public int[] GetFrameSamples(int frame)
    {
        CheckFrame(frame);
        var pixels = Rows * Columns;
        var count = pixels * SamplesPerPixel;
        if (BitsAllocated == 1) return UnpackBits(frame, count);
        var bytesPerSample = BitsAllocated / 8;
        if (_pixelItem is DicomElement element)
        {
            var ybr422 = PhotometricInterpretation == "YBR_FULL_422" && SamplesPerPixel == 3;
            var frameBytes = (long)(ybr422 ? pixels * 2 : count) * bytesPerSample;
            using var bytes = FrameBytes.Read(element, frameBytes * frame, frameBytes, frame, _file);
            // Big-endian OB pixel data of 8 bits has no byte order; OW and wider words do.
            var bigEndian = element.IsBigEndian && element.VR != DicomVR.OB;
            if (ybr422) return ExpandYbr422(bytes.Span, bytesPerSample, bigEndian);
            return ToSamples(bytes.Span, count, bytesPerSample, bigEndian, planar: PlanarConfiguration == 1 && SamplesPerPixel == 3);
        }
        // Codecs return pixel-interleaved little-endian samples; deflated frames are native bytes, planar if so declared.
        var planarFrame = TransferSyntax == DicomTransferSyntax.DeflatedImageFrameCompression && PlanarConfiguration == 1 && SamplesPerPixel == 3;
        return ToSamples(Decode((DicomFragmentSequence)_pixelItem, frame), count, bytesPerSample, bigEndian: false, planar: planarFrame);
    }

    private void CheckFrame(int frame)
    {
        if (frame < 0 || frame >= NumberOfFrames)
            throw new ArgumentOutOfRangeException(nameof(frame), $"{_file}: frame {frame} of {NumberOfFrames}.");
    }

    private int[] ToSamples(ReadOnlySpan<byte> src, int count, int bytesPerSample, bool bigEndian, bool planar)
    {
        // Every element is written below: skip zeroing the (often large) array.
        var values = GC.AllocateUninitializedArray<int>(count);
        if (!planar && bytesPerSample == 2)
        {
            // The common CT/MR case in tight loops the JIT can vectorise: one word per sample.
            FromWords(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(src[..(count * 2)]), values, bigEndian);
            return values;
        }
        var pixels = Rows * Columns;
        for (var i = 0; i < count; i++)
        {
            // Planar data: sample s of pixel p sits at s·pixels + p.
            var at = planar ? (i % SamplesPerPixel) * pixels + i / SamplesPerPixel : i;
            values[i] = Normalize(ReadSample(src, at, bytesPerSample, bigEndian));
        }
        return values;
    }

    private void FromWords(ReadOnlySpan<ushort> words, int[] values, bool bigEndian)
    {
        var low = HighBit + 1 - BitsStored;
        var shift = 32 - BitsStored;
        if (!bigEndian && low == 0 && BitsStored == 16)
        {
            if (IsSigned) for (var i = 0; i < words.Length; i++) values[i] = (short)words[i];
            else for (var i = 0; i < words.Length; i++) values[i] = words[i];
            return;
        }
        for (var i = 0; i < words.Length; i++)
        {
            uint w = bigEndian ? BinaryPrimitives.ReverseEndianness(words[i]) : words[i];
            values[i] = (int)(w >> low << shift);
        }
        // Second pass: sign-extend or clear the bits above Bits Stored (kept separate so each loop stays simple).
        if (IsSigned) for (var i = 0; i < values.Length; i++) values[i] >>= shift;
        else for (var i = 0; i < values.Length; i++) values[i] = (int)((uint)values[i] >> shift);
    }

    /// <summary>One frame in modality units (slope × stored + intercept: HU for CT), grey images only.</summary>
    /// <exception cref="DicomDataException">Not a grey image, or too little pixel data.</exception>
    /// <exception cref="DicomCodecException">A compressed syntax that is not decoded.</exception>
    public float[] GetFrameModality(int frame, double slope, double intercept)
    {
        var result = GC.AllocateUninitializedArray<float>(Rows * Columns); // every element is written
        GetFrameModality(frame, slope, intercept, result);
        return result;
    }

    /// <summary>
    /// One frame in modality units into <paramref name="destination"/> (Rows × Columns values), e.g. a slice of a volume
    /// being filled, without allocating. The common case — native 16-bit words — goes straight from the file bytes to
    /// floats in vector registers.
    /// </summary>
    /// <exception cref="ArgumentException">The destination is not Rows × Columns long.</exception>
    /// <exception cref="DicomDataException">Not a grey image, or too little pixel data.</exception>
    /// <exception cref="DicomCodecException">A compressed syntax that is not decoded.</exception>
    public void GetFrameModality(int frame, double slope, double intercept, Span<float> destination)
    {
        var count = Rows * Columns;
        if (destination.Length != count)
            throw new ArgumentException($"{_file}: a frame has {count} pixels; the destination holds {destination.Length}.", nameof(destination));
        CheckFrame(frame);
        if (_pixelItem is DicomElement element && SamplesPerPixel == 1 && BitsAllocated == 16
            && Math.Abs(slope) < 1 << 20 && Math.Abs(intercept) < 1 << 20 && System.Numerics.Vector.IsHardwareAccelerated)
        {
            using var bytes = FrameBytes.Read(element, (long)count * 2 * frame, count * 2L, frame, _file);
            WordsToModality(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(bytes.Span), destination,
                bigEndian: element.IsBigEndian && element.VR != DicomVR.OB, (float)slope, (float)intercept);
            return;
        }
        PixelFunctions.ApplyModalityLut(GetStoredValues(frame), destination, slope, intercept);
    }

    private void WordsToModality(ReadOnlySpan<ushort> words, Span<float> destination, bool bigEndian, float slope, float intercept)
    {
        var count = words.Length;
        // Bits HighBit−BitsStored+1 … HighBit hold the value: shift it to the top of the word, then back down,
        // arithmetically when signed (sign extension) and logically when not (clears overlay bits).
        var up = 15 - HighBit;
        var down = 16 - BitsStored;
        var vs = new System.Numerics.Vector<float>(slope);
        var vb = new System.Numerics.Vector<float>(intercept);
        var width = System.Numerics.Vector<ushort>.Count;
        var i = 0;
        for (; i + width <= count; i += width)
        {
            var w = new System.Numerics.Vector<ushort>(words[i..]);
            if (bigEndian) w = System.Numerics.Vector.ShiftLeft(w, 8) | System.Numerics.Vector.ShiftRightLogical(w, 8);
            w = System.Numerics.Vector.ShiftLeft(w, up);
            System.Numerics.Vector<int> lo, hi;
            if (IsSigned)
                System.Numerics.Vector.Widen(System.Numerics.Vector.ShiftRightArithmetic(System.Numerics.Vector.AsVectorInt16(w), down), out lo, out hi);
            else
            {
                System.Numerics.Vector.Widen(System.Numerics.Vector.ShiftRightLogical(w, down), out var ulo, out var uhi);
                (lo, hi) = (System.Numerics.Vector.AsVectorInt32(ulo), System.Numerics.Vector.AsVectorInt32(uhi));
            }
            (System.Numerics.Vector.ConvertToSingle(lo) * vs + vb).CopyTo(destination[i..]);
            (System.Numerics.Vector.ConvertToSingle(hi) * vs + vb).CopyTo(destination[(i + width / 2)..]);
        }
        for (; i < count; i++)
        {
            var word = bigEndian ? BinaryPrimitives.ReverseEndianness(words[i]) : words[i];
            var v = (ushort)(word << up);
            destination[i] = (IsSigned ? (short)v >> down : v >> down) * slope + intercept;
        }
    }

    private static uint ReadSample(ReadOnlySpan<byte> src, int index, int bytes, bool bigEndian) => bytes switch
    {
        1 => src[index],
        2 => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(src[(index * 2)..]) : BinaryPrimitives.ReadUInt16LittleEndian(src[(index * 2)..]),
        _ => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(src[(index * 4)..]) : BinaryPrimitives.ReadUInt32LittleEndian(src[(index * 4)..]),
    };

    /// <summary>Keeps bits (HighBit − BitsStored + 1 … HighBit) and sign-extends them when signed.</summary>
    private int Normalize(uint raw)
    {
        raw >>= HighBit + 1 - BitsStored;
        var shift = 32 - BitsStored;
        return IsSigned ? (int)(raw << shift) >> shift : (int)(raw << shift >>> shift);
    }

    private int[] ExpandYbr422(ReadOnlySpan<byte> src, int bytes, bool bigEndian)
    {
        // Y0 Y1 Cb Cr for each pair of pixels → (Y0 Cb Cr)(Y1 Cb Cr).
        var pixels = Rows * Columns;
        var values = new int[pixels * 3];
        for (var p = 0; p < pixels; p += 2)
        {
            var q = p * 2;
            var y0 = Normalize(ReadSample(src, q, bytes, bigEndian));
            var y1 = Normalize(ReadSample(src, q + 1, bytes, bigEndian));
            var cb = Normalize(ReadSample(src, q + 2, bytes, bigEndian));
            var cr = Normalize(ReadSample(src, q + 3, bytes, bigEndian));
            values[p * 3] = y0; values[p * 3 + 1] = cb; values[p * 3 + 2] = cr;
            if (p + 1 < pixels) { values[p * 3 + 3] = y1; values[p * 3 + 4] = cb; values[p * 3 + 5] = cr; }
        }
        return values;
    }

    private int[] UnpackBits(int frame, int count)
    {
        if (_pixelItem is DicomFragmentSequence fragments)
        {
            // Only byte-stream codecs carry packed bits; a frame of them starts on a byte.
            if (TransferSyntax != DicomTransferSyntax.RLELossless && TransferSyntax != DicomTransferSyntax.DeflatedImageFrameCompression)
                throw new DicomCodecException(_file, TransferSyntax, "1-bit pixel data is decoded from RLE and Deflated Image Frame Compression only");
            var packed = Decode(fragments, frame);
            return Unpack(packed, 0, count);
        }
        var element = (DicomElement)_pixelItem;
        // Native frames of 1-bit pixels need not start on a byte: read the bytes that hold this frame's bits.
        var firstBit = (long)count * frame;
        var firstByte = firstBit / 8;
        using var bytes = FrameBytes.Read(element, firstByte, (firstBit + count + 7) / 8 - firstByte, frame, _file);
        return Unpack(bytes.Span, (int)(firstBit % 8), count);
    }

    /// <summary>Bits LSB first within each byte (PS3.5 §8.1.1), from bit <paramref name="skip"/> of the first byte.</summary>
    private static int[] Unpack(ReadOnlySpan<byte> src, int skip, int count)
    {
        var values = new int[count];
        for (var i = 0; i < count; i++)
        {
            var bit = skip + i;
            values[i] = (src[bit / 8] >> (bit % 8)) & 1;
        }
        return values;
    }

    /// <summary>
    /// The bytes of one frame of native pixel data: a slice of a value in memory, or read from the file into a pooled
    /// buffer (returned on dispose), so a deferred multi-frame value is never read whole.
    /// </summary>
    private ref struct FrameBytes : IDisposable
    {
        private byte[]? _rented;

        public ReadOnlySpan<byte> Span { get; private set; }

        public static FrameBytes Read(DicomElement element, long start, long length, int frame, string? file)
        {
            if (start + length > element.Length)
                throw new DicomDataException($"{file}: pixel data hold {element.Length} bytes; frame {frame} needs bytes {start}–{start + length}.");
            if (!element.IsDeferred) return new FrameBytes { Span = element.Buffer.Span.Slice((int)start, (int)length) };
            var rented = System.Buffers.ArrayPool<byte>.Shared.Rent((int)length);
            try
            {
                element.CopyTo(start, rented.AsSpan(0, (int)length));
            }
            catch
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
                throw;
            }
            return new FrameBytes { _rented = rented, Span = rented.AsSpan(0, (int)length) };
        }

        public void Dispose()
        {
            if (_rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(_rented);
            _rented = null;
        }
    }

    /// <summary>Decodes one frame of encapsulated pixel data into native little-endian bytes.</summary>
    private byte[] Decode(DicomFragmentSequence fragments, int frame)
    {
        var data = DicomFrames.GetFrame(fragments, _dataset, NumberOfFrames, frame, TransferSyntax, _file);
        // A few compressed bytes must not claim gigabytes: no codec here compresses a real image 2048-fold.
        var decodedBytes = (long)Rows * Columns * SamplesPerPixel * Math.Max(1, BitsAllocated / 8);
        if (decodedBytes > Math.Max(2048L * data.Length, 64L << 20))
            throw new DicomCodecException(_file, TransferSyntax, $"a {data.Length}-byte frame cannot hold {Rows} × {Columns} × {SamplesPerPixel} samples");
        try
        {
            return DecodeFrame(data);
        }
        catch (Exception e) when (e is not (DicomCodecException or DicomFormatException or OutOfMemoryException))
        {
            // A corrupt stream surfaces inside the codec as whatever it tripped on; report it as what it is.
            throw new DicomCodecException(_file, TransferSyntax, $"frame {frame} is corrupt ({e.GetType().Name}: {e.Message})", e);
        }
    }

    private byte[] DecodeFrame(ReadOnlyMemory<byte> data)
    {
        if (TransferSyntax == DicomTransferSyntax.RLELossless)
            return RleDecoder.Decode(data.Span, Rows, Columns, SamplesPerPixel, BitsAllocated, _file);
        if (TransferSyntax == DicomTransferSyntax.DeflatedImageFrameCompression)
        {
            var samples = Rows * Columns * SamplesPerPixel;
            return DeflateFrameDecoder.Decode(data, BitsAllocated == 1 ? (samples + 7) / 8 : samples * (BitsAllocated / 8), _file, TransferSyntax);
        }
        if (TransferSyntax == DicomTransferSyntax.JPEG2000Lossless || TransferSyntax == DicomTransferSyntax.JPEG2000)
            return Jpeg2000Decoder.Decode(data, Rows, Columns, SamplesPerPixel, BitsAllocated, _file, TransferSyntax);
        if (TransferSyntax == DicomTransferSyntax.JPEGLSLossless || TransferSyntax == DicomTransferSyntax.JPEGLSNearLossless)
            return JpegLsDecoder.Decode(data, Rows, Columns, SamplesPerPixel, BitsAllocated, _file, TransferSyntax);
        if (TransferSyntax == DicomTransferSyntax.JPEGLossless14 || TransferSyntax == DicomTransferSyntax.JPEGLossless14SV1
            || (TransferSyntax == DicomTransferSyntax.JPEGBaseline || TransferSyntax == DicomTransferSyntax.JPEGExtended) && LosslessJpegDecoder.IsLossless(data.Span))
            return LosslessJpegDecoder.Decode(data, Rows, Columns, SamplesPerPixel, BitsAllocated, _file, TransferSyntax);
        if (TransferSyntax == DicomTransferSyntax.JPEGBaseline || TransferSyntax == DicomTransferSyntax.JPEGExtended
            || TransferSyntax == DicomTransferSyntax.JPEGSpectralSelection68 || TransferSyntax == DicomTransferSyntax.JPEGFullProgression1012)
            return JpegFrameDecoder.Decode(data, Rows, Columns, SamplesPerPixel, BitsAllocated, _file, TransferSyntax);
        throw new DicomCodecException(_file, TransferSyntax, "this compressed transfer syntax is not decoded by FacetMlNet");
    }
}
