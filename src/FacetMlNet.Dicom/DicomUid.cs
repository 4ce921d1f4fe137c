using System.Buffers.Binary;

namespace FacetMlNet.Dicom;

/// <summary>Makes DICOM UIDs.</summary>
public static class DicomUid
{
    /// <summary>
    /// A UID under the 2.25 root (ISO/IEC 9834-8) derived from <paramref name="name"/> by SHA-256, so the same
    /// name always gives the same UID: synthetic cohorts stay byte-identical for a seed.
    /// </summary>
    public static string FromName(string name)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name));
        var value = BinaryPrimitives.ReadUInt128BigEndian(hash) >> 6; // 122 bits, like a version-4 UUID
        return "2.25." + value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
