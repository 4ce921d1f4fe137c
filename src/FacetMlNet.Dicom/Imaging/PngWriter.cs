using System.Buffers.Binary;
using System.IO.Compression;

namespace FacetMlNet.Dicom.Imaging;

/// <summary>Writes 8-bit greyscale PNG files (for crops, previews and reports) with no imaging dependency.</summary>
public static class PngWriter
{
    /// <summary>Encodes <paramref name="grey"/> (row-major, values 0–1, clamped) as a PNG.</summary>
    public static byte[] Encode(ReadOnlySpan<float> grey, int width, int height)
    {
        if (grey.Length != width * height) throw new ArgumentException($"Expected {width * height} values, got {grey.Length}.", nameof(grey));
        var raw = new byte[(width + 1) * height];
        for (var y = 0; y < height; y++)
        {
            raw[y * (width + 1)] = 0; // filter: none
            for (var x = 0; x < width; x++)
                raw[y * (width + 1) + 1 + x] = (byte)Math.Clamp(MathF.Round(grey[y * width + x] * 255), 0, 255);
        }
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw);

        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 0; // greyscale
        WriteChunk(png, "IHDR"u8, header);
        WriteChunk(png, "IDAT"u8, compressed.ToArray());
        WriteChunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    /// <summary>Writes a PNG file atomically.</summary>
    public static void Save(string path, ReadOnlySpan<float> grey, int width, int height)
    {
        IO.AtomicFile.WriteAllBytes(path, Encode(grey, width, height));
    }

    private static void WriteChunk(Stream s, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        s.Write(type);
        s.Write(data);
        Span<byte> c = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(c, ~Crc(Crc(0xFFFFFFFF, type), data));
        s.Write(c);
    }

    private static readonly uint[] CrcTable = [.. Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        return c;
    })];

    /// <summary>CRC-32 of the PNG specification (ISO 3309), continued from <paramref name="crc"/>.</summary>
    private static uint Crc(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }
}
