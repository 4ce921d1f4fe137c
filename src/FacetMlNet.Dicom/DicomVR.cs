namespace FacetMlNet.Dicom;

/// <summary>A DICOM value representation: how an element's value is encoded (PS3.5 §6.2).</summary>
public sealed class DicomVR
{
    private static readonly Dictionary<string, DicomVR> ByCode = new(StringComparer.Ordinal);
    private static readonly DicomVR?[] ByBytes = new DicomVR?[1 << 16];

    private DicomVR(string code, bool isString, bool longLength, byte padding, int unitSize, bool multiValuedByBackslash)
    {
        Code = code;
        IsString = isString;
        HasLongLength = longLength;
        PaddingByte = padding;
        UnitSize = unitSize;
        IsBackslashMultiValued = multiValuedByBackslash;
        ByCode[code] = this;
        ByBytes[code[0] << 8 | code[1]] = this;
    }

    /// <summary>The two-letter code, e.g. <c>US</c>.</summary>
    public string Code { get; }

    /// <summary>True for character-string VRs.</summary>
    public bool IsString { get; }

    /// <summary>True where explicit-VR encoding uses 2 reserved bytes and a 4-byte length.</summary>
    public bool HasLongLength { get; }

    /// <summary>The byte that pads a value to even length (space for text, NUL for UIDs and binary).</summary>
    public byte PaddingByte { get; }

    /// <summary>Size in bytes of one binary value (2 for US, 8 for FD), 1 for strings and bytes.</summary>
    public int UnitSize { get; }

    /// <summary>True for string VRs whose values are separated by a backslash.</summary>
    public bool IsBackslashMultiValued { get; }

#pragma warning disable CS1591 // Names are the DICOM VR codes.
    public static readonly DicomVR AE = new("AE", true, false, 0x20, 1, true);
    public static readonly DicomVR AS = new("AS", true, false, 0x20, 1, true);
    public static readonly DicomVR AT = new("AT", false, false, 0, 4, false);
    public static readonly DicomVR CS = new("CS", true, false, 0x20, 1, true);
    public static readonly DicomVR DA = new("DA", true, false, 0x20, 1, true);
    public static readonly DicomVR DS = new("DS", true, false, 0x20, 1, true);
    public static readonly DicomVR DT = new("DT", true, false, 0x20, 1, true);
    public static readonly DicomVR FL = new("FL", false, false, 0, 4, false);
    public static readonly DicomVR FD = new("FD", false, false, 0, 8, false);
    public static readonly DicomVR IS = new("IS", true, false, 0x20, 1, true);
    public static readonly DicomVR LO = new("LO", true, false, 0x20, 1, true);
    public static readonly DicomVR LT = new("LT", true, false, 0x20, 1, false);
    public static readonly DicomVR OB = new("OB", false, true, 0, 1, false);
    public static readonly DicomVR OD = new("OD", false, true, 0, 8, false);
    public static readonly DicomVR OF = new("OF", false, true, 0, 4, false);
    public static readonly DicomVR OL = new("OL", false, true, 0, 4, false);
    public static readonly DicomVR OV = new("OV", false, true, 0, 8, false);
    public static readonly DicomVR OW = new("OW", false, true, 0, 2, false);
    public static readonly DicomVR PN = new("PN", true, false, 0x20, 1, true);
    public static readonly DicomVR SH = new("SH", true, false, 0x20, 1, true);
    public static readonly DicomVR SL = new("SL", false, false, 0, 4, false);
    public static readonly DicomVR SQ = new("SQ", false, true, 0, 1, false);
    public static readonly DicomVR SS = new("SS", false, false, 0, 2, false);
    public static readonly DicomVR ST = new("ST", true, false, 0x20, 1, false);
    public static readonly DicomVR SV = new("SV", false, true, 0, 8, false);
    public static readonly DicomVR TM = new("TM", true, false, 0x20, 1, true);
    public static readonly DicomVR UC = new("UC", true, true, 0x20, 1, true);
    public static readonly DicomVR UI = new("UI", true, false, 0x00, 1, true);
    public static readonly DicomVR UL = new("UL", false, false, 0, 4, false);
    public static readonly DicomVR UN = new("UN", false, true, 0, 1, false);
    public static readonly DicomVR UR = new("UR", true, true, 0x20, 1, false);
    public static readonly DicomVR US = new("US", false, false, 0, 2, false);
    public static readonly DicomVR UT = new("UT", true, true, 0x20, 1, false);
    public static readonly DicomVR UV = new("UV", false, true, 0, 8, false);
#pragma warning restore CS1591

    /// <summary>Looks up a VR by its two-letter code.</summary>
    public static bool TryParse(string code, out DicomVR vr) => ByCode.TryGetValue(code, out vr!);

    /// <summary>Looks up a VR by the two bytes of its code, as they stand in a file (no allocation: the parser's hot path).</summary>
    public static bool TryParse(byte first, byte second, out DicomVR vr) => (vr = ByBytes[first << 8 | second]!) is not null;

    /// <inheritdoc />
    public override string ToString() => Code;
}
