using System.Text;

namespace FacetMlNet.Dicom;

/// <summary>
/// Maps Specific Character Set (0008,0005) to a .NET encoding (PS3.3 C.12.1.1.2). An unknown or unavailable set
/// falls back to Latin-1, never throws: a wrong accent is better than a lost study.
/// </summary>
public static class DicomCharacterSet
{
    static DicomCharacterSet() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The encoding for the given defined terms (all values of the attribute).</summary>
    public static Encoding GetEncoding(IReadOnlyList<string> terms)
    {
        var normalized = terms.Select(Normalize).Where(t => t.Length > 0).ToList();
        // ISO 2022 with JIS X 0208 (IR 87) switches sets by escape sequences: the ISO-2022-JP decoder follows them.
        if (normalized.Contains("ISO 2022 IR 87")) return Get(50220);
        if (normalized.Contains("ISO 2022 IR 149")) return Get(949);
        if (normalized.Contains("ISO 2022 IR 58")) return Get(936);
        var first = normalized.FirstOrDefault() ?? "";
        return first switch
        {
            "" or "ISO_IR 6" or "ISO 2022 IR 6" or "ISO_IR 100" or "ISO 2022 IR 100" => Encoding.Latin1,
            "ISO_IR 192" => Encoding.UTF8,
            "ISO_IR 101" or "ISO 2022 IR 101" => Get(28592),
            "ISO_IR 109" or "ISO 2022 IR 109" => Get(28593),
            "ISO_IR 110" or "ISO 2022 IR 110" => Get(28594),
            "ISO_IR 144" or "ISO 2022 IR 144" => Get(28595),
            "ISO_IR 127" or "ISO 2022 IR 127" => Get(28596),
            "ISO_IR 126" or "ISO 2022 IR 126" => Get(28597),
            "ISO_IR 138" or "ISO 2022 IR 138" => Get(28598),
            "ISO_IR 148" or "ISO 2022 IR 148" => Get(28599),
            "ISO_IR 203" or "ISO 2022 IR 203" => Get(28605),
            "ISO_IR 166" or "ISO 2022 IR 166" => Get(874),
            "ISO_IR 13" or "ISO 2022 IR 13" => Get(932),
            "GB18030" => Get(54936),
            "GBK" => Get(936),
            _ => Encoding.Latin1,
        };
    }

    /// <summary>Upper case, trimmed, with the common misspelling "ISO-IR 100" read as "ISO_IR 100".</summary>
    private static string Normalize(string term)
    {
        var t = term.Trim().ToUpperInvariant();
        return t.StartsWith("ISO-IR", StringComparison.Ordinal) ? "ISO_IR" + t[6..] : t;
    }

    private static Encoding Get(int codePage)
    {
        try { return Encoding.GetEncoding(codePage); }
        catch (Exception e) when (e is NotSupportedException or ArgumentException) { return Encoding.Latin1; }
    }
}
