using System.Text;
using FacetMlNet.Dicom.IO;

namespace FacetMlNet.Dicom.Tests;

public class DicomCharacterSetTests
{
    private static string NameIn(string[] charset, byte[] nameBytes)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.SpecificCharacterSet, DicomVR.CS, charset);
        ds.AddOrUpdate(new DicomElement(DicomTag.PatientName, DicomVR.PN, nameBytes));
        return ds.GetString(DicomTag.PatientName);
    }

    [Fact]
    public void Latin1_and_utf8()
    {
        Assert.Equal("Buc^Jérôme", NameIn(["ISO_IR 100"], Encoding.Latin1.GetBytes("Buc^Jérôme")));
        Assert.Equal("Buc^Jérôme", NameIn(["ISO-IR 100"], Encoding.Latin1.GetBytes("Buc^Jérôme")));
        Assert.Equal("Wang^XiaoDong=王^小東", NameIn(["ISO_IR 192"], Encoding.UTF8.GetBytes("Wang^XiaoDong=王^小東")));
    }

    [Fact]
    public void Iso_2022_japanese_follows_escape_sequences()
    {
        // PS3.5 Annex H.3.1: "Yamada^Tarou=山田^太郎" with JIS X 0208 in ISO 2022 escapes.
        var bytes = Encoding.ASCII.GetBytes("Yamada^Tarou=\u001b$B;3ED\u001b(B^\u001b$BB@O:\u001b(B");
        Assert.Equal("Yamada^Tarou=山田^太郎", NameIn(["", "ISO 2022 IR 87"], bytes));
    }

    [Fact]
    public void Cyrillic_and_unknown_sets()
    {
        Assert.Equal("Люкceмбypг", NameIn(["ISO_IR 144"], Encoding.GetEncoding(28595).GetBytes("Люкceмбypг")));
        Assert.Equal("abc", NameIn(["ISO_IR 9999"], "abc"u8.ToArray())); // unknown: Latin-1, no exception
    }

    [Fact]
    public void Encoding_survives_a_round_trip_through_the_writer()
    {
        var ds = DicomRoundTripTests.CtSlice().AddOrUpdate(DicomTag.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        ds.AddOrUpdate(DicomTag.PatientName, DicomVR.PN, "Müller^Łukasz=王");
        Assert.Equal("Müller^Łukasz=王", DicomFile.Open(DicomWriter.Encode(ds)).Dataset.GetString(DicomTag.PatientName));
    }
}
