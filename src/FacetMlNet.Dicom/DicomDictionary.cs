namespace FacetMlNet.Dicom;

/// <summary>
/// The VRs of the attributes FacetMlNet reads, for Implicit VR files where the VR is not in the stream.
/// Not the whole PS3.6 dictionary: an unknown tag reads as UN (its bytes kept) unless it has undefined length,
/// which can only be a sequence.
/// </summary>
public static class DicomDictionary
{
    private static readonly Dictionary<DicomTag, DicomVR> Vrs = Build();

    /// <summary>The VR of a tag, or <see cref="DicomVR.UN"/> when not in this dictionary.</summary>
    public static DicomVR LookupVR(DicomTag tag)
    {
        if (Vrs.TryGetValue(tag, out var vr)) return vr;
        if (tag.Element == 0x0000) return DicomVR.UL; // group lengths
        if (tag.IsPrivate && tag.Element is >= 0x0010 and <= 0x00FF) return DicomVR.LO; // private creators
        if (tag.Group is >= 0x6000 and <= 0x601E && (tag.Group & 1) == 0 && tag.Element == 0x3000) return DicomVR.OW; // overlay data
        return DicomVR.UN;
    }

    private static Dictionary<DicomTag, DicomVR> Build()
    {
        var d = new Dictionary<DicomTag, DicomVR>();
        void Add(ushort g, ushort e, DicomVR vr) => d[new DicomTag(g, e)] = vr;
        Add(0x0002, 0x0000, DicomVR.UL); Add(0x0002, 0x0001, DicomVR.OB); Add(0x0002, 0x0002, DicomVR.UI);
        Add(0x0002, 0x0003, DicomVR.UI); Add(0x0002, 0x0010, DicomVR.UI); Add(0x0002, 0x0012, DicomVR.UI);
        Add(0x0002, 0x0013, DicomVR.SH); Add(0x0002, 0x0016, DicomVR.AE);
        Add(0x0008, 0x0005, DicomVR.CS); Add(0x0008, 0x0008, DicomVR.CS); Add(0x0008, 0x0012, DicomVR.DA);
        Add(0x0008, 0x0013, DicomVR.TM); Add(0x0008, 0x0016, DicomVR.UI); Add(0x0008, 0x0018, DicomVR.UI);
        Add(0x0008, 0x0020, DicomVR.DA); Add(0x0008, 0x0021, DicomVR.DA); Add(0x0008, 0x0022, DicomVR.DA);
        Add(0x0008, 0x0023, DicomVR.DA); Add(0x0008, 0x0030, DicomVR.TM); Add(0x0008, 0x0031, DicomVR.TM);
        Add(0x0008, 0x0032, DicomVR.TM); Add(0x0008, 0x0033, DicomVR.TM); Add(0x0008, 0x0050, DicomVR.SH);
        Add(0x0008, 0x0060, DicomVR.CS); Add(0x0008, 0x0064, DicomVR.CS); Add(0x0008, 0x0070, DicomVR.LO);
        Add(0x0008, 0x0080, DicomVR.LO); Add(0x0008, 0x0090, DicomVR.PN); Add(0x0008, 0x1010, DicomVR.SH);
        Add(0x0008, 0x1030, DicomVR.LO); Add(0x0008, 0x103E, DicomVR.LO); Add(0x0008, 0x1090, DicomVR.LO);
        Add(0x0008, 0x1140, DicomVR.SQ); Add(0x0008, 0x1150, DicomVR.UI); Add(0x0008, 0x1155, DicomVR.UI);
        Add(0x0008, 0x2112, DicomVR.SQ); Add(0x0008, 0x9215, DicomVR.SQ);
        Add(0x0010, 0x0010, DicomVR.PN); Add(0x0010, 0x0020, DicomVR.LO); Add(0x0010, 0x0030, DicomVR.DA);
        Add(0x0010, 0x0040, DicomVR.CS); Add(0x0010, 0x1010, DicomVR.AS); Add(0x0010, 0x1020, DicomVR.DS);
        Add(0x0010, 0x1030, DicomVR.DS);
        Add(0x0018, 0x0015, DicomVR.CS); Add(0x0018, 0x0020, DicomVR.CS); Add(0x0018, 0x0050, DicomVR.DS);
        Add(0x0018, 0x0060, DicomVR.DS); Add(0x0018, 0x0080, DicomVR.DS); Add(0x0018, 0x0081, DicomVR.DS);
        Add(0x0018, 0x0087, DicomVR.DS); Add(0x0018, 0x0088, DicomVR.DS); Add(0x0018, 0x1020, DicomVR.LO);
        Add(0x0018, 0x1030, DicomVR.LO); Add(0x0018, 0x1150, DicomVR.IS); Add(0x0018, 0x1151, DicomVR.IS);
        Add(0x0018, 0x1152, DicomVR.IS); Add(0x0018, 0x1210, DicomVR.SH); Add(0x0018, 0x5100, DicomVR.CS);
        Add(0x0020, 0x000D, DicomVR.UI); Add(0x0020, 0x000E, DicomVR.UI); Add(0x0020, 0x0010, DicomVR.SH);
        Add(0x0020, 0x0011, DicomVR.IS); Add(0x0020, 0x0012, DicomVR.IS); Add(0x0020, 0x0013, DicomVR.IS);
        Add(0x0020, 0x0020, DicomVR.CS); Add(0x0020, 0x0032, DicomVR.DS); Add(0x0020, 0x0037, DicomVR.DS);
        Add(0x0020, 0x0052, DicomVR.UI); Add(0x0020, 0x1040, DicomVR.LO); Add(0x0020, 0x1041, DicomVR.DS);
        Add(0x0028, 0x0002, DicomVR.US); Add(0x0028, 0x0004, DicomVR.CS); Add(0x0028, 0x0006, DicomVR.US);
        Add(0x0028, 0x0008, DicomVR.IS); Add(0x0028, 0x0009, DicomVR.AT); Add(0x0028, 0x0010, DicomVR.US);
        Add(0x0028, 0x0011, DicomVR.US); Add(0x0028, 0x0030, DicomVR.DS); Add(0x0028, 0x0034, DicomVR.IS);
        Add(0x0028, 0x0100, DicomVR.US); Add(0x0028, 0x0101, DicomVR.US); Add(0x0028, 0x0102, DicomVR.US);
        Add(0x0028, 0x0103, DicomVR.US); Add(0x0028, 0x0106, DicomVR.US); Add(0x0028, 0x0107, DicomVR.US);
        Add(0x0028, 0x1050, DicomVR.DS); Add(0x0028, 0x1051, DicomVR.DS); Add(0x0028, 0x1052, DicomVR.DS);
        Add(0x0028, 0x1053, DicomVR.DS); Add(0x0028, 0x1054, DicomVR.LO); Add(0x0028, 0x1055, DicomVR.LO);
        Add(0x0028, 0x1101, DicomVR.US); Add(0x0028, 0x1102, DicomVR.US); Add(0x0028, 0x1103, DicomVR.US);
        Add(0x0028, 0x1201, DicomVR.OW); Add(0x0028, 0x1202, DicomVR.OW); Add(0x0028, 0x1203, DicomVR.OW);
        Add(0x0028, 0x2110, DicomVR.CS); Add(0x0028, 0x3000, DicomVR.SQ); Add(0x0028, 0x3010, DicomVR.SQ);
        Add(0x0040, 0x0275, DicomVR.SQ); Add(0x0040, 0xA730, DicomVR.SQ); Add(0x0054, 0x0016, DicomVR.SQ);
        Add(0x5200, 0x9229, DicomVR.SQ); Add(0x5200, 0x9230, DicomVR.SQ);
        // Functional group macros of multi-frame images (PS3.3 C.7.6.16): read as sequences in Implicit VR files too.
        Add(0x0020, 0x9111, DicomVR.SQ); Add(0x0020, 0x9113, DicomVR.SQ); Add(0x0020, 0x9116, DicomVR.SQ);
        Add(0x0028, 0x9110, DicomVR.SQ); Add(0x0028, 0x9132, DicomVR.SQ); Add(0x0028, 0x9145, DicomVR.SQ);
        Add(0x0020, 0x9056, DicomVR.SH); Add(0x0020, 0x9057, DicomVR.UL); Add(0x0020, 0x9157, DicomVR.UL);
        Add(0x7FE0, 0x0001, DicomVR.OV); Add(0x7FE0, 0x0002, DicomVR.OV); Add(0x7FE0, 0x0010, DicomVR.OW);
        Add(0xFFFA, 0xFFFA, DicomVR.SQ);
        return d;
    }
}
