using System.Text;

namespace FacetMlNet.Dicom;

/// <summary>Maps Specific Character Set (0008,0005) to a .NET encoding; an unknown set falls back to Latin-1, never throws.</summary>
public static class DicomCharacterSet
{
    /// <summary>The encoding for the given defined terms (the first non-empty one decides).</summary>
    public static Encoding GetEncoding(IReadOnlyList<string> terms)
    {
        var term = terms.FirstOrDefault(t => t.Length > 0) ?? terms.ElementAtOrDefault(1) ?? "";
        return term.Replace("ISO 2022 ", "", StringComparison.Ordinal).Replace("IR ", "IR_", StringComparison.Ordinal) switch
        {
            "ISO_IR_192" or "ISO_IR 192" => Encoding.UTF8,
            "" or "ISO_IR_6" or "ISO_IR 6" or "ISO_IR_100" or "ISO_IR 100" => Encoding.Latin1,
            _ => Encoding.Latin1,
        };
    }
}
