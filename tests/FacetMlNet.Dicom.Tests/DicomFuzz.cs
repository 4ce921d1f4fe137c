namespace FacetMlNet.Dicom.Tests;

/// <summary>Mutations a broken PACS export or a hostile file might show (shared with the fuzz benchmark).</summary>
internal static class DicomFuzz
{
    public static byte[] Mutate(byte[] original, Random rng)
    {
        var bytes = (byte[])original.Clone();
        switch (rng.Next(3))
        {
            case 0: // flips
                for (var n = rng.Next(1, 8); n > 0; n--) bytes[rng.Next(bytes.Length)] = (byte)rng.Next(256);
                return bytes;
            case 1: // truncation
                return bytes[..rng.Next(bytes.Length)];
            default: // a length field made huge or odd: overwrite 4 bytes at an even offset with a large value
                var at = rng.Next(bytes.Length / 2 - 2) * 2;
                BitConverter.GetBytes(rng.Next(2) == 0 ? 0xFFFFFFF0u : (uint)rng.Next()).CopyTo(bytes, at);
                return bytes;
        }
    }
}
