using System.Buffers.Binary;

namespace FacetMlNet.Dicom.Codecs;

/// <summary>
/// JPEG 2000 Part 1 (ITU-T T.800; DICOM 1.2.840.10008.1.2.4.90 and .91): codestream with tiles and tile-parts, the five
/// progression orders, precincts, tag-tree packet headers, EBCOT tier-1 with the MQ decoder, scalar quantisation,
/// every code-block style (bypass, reset, terminate each pass, vertically causal, segmentation symbols), inverse 5/3 and
/// 9/7 wavelets, reversible and irreversible component transforms; a JP2 wrapper is unwrapped. Written here because no
/// JPEG 2000 library is served. Refused with a <see cref="DicomCodecException"/>: progression order changes (POC), packed
/// packet headers (PPM/PPT), region of interest (RGN), sub-sampled components. Output: native little-endian bytes,
/// components pixel-interleaved.
/// </summary>
internal sealed partial class Jpeg2000Decoder
{
    private readonly byte[] _data;
    private readonly string? _file;
    private readonly DicomTransferSyntax _syntax;
    private int _pos;

    // SIZ
    private int _xsiz, _ysiz, _xosiz, _yosiz, _xtsiz, _ytsiz, _xtosiz, _ytosiz, _components;
    private int[] _precision = [];
    private bool[] _signed = [];

    private CodingStyle _cod = new();
    private readonly Dictionary<int, CodingStyle> _coc = [];
    private Quantization? _qcd;
    private readonly Dictionary<int, Quantization> _qcc = [];

    private Jpeg2000Decoder(byte[] data, string? file, DicomTransferSyntax syntax)
    {
        _data = data;
        _file = file;
        _syntax = syntax;
    }

    public static byte[] Decode(ReadOnlyMemory<byte> stream, int rows, int columns, int samplesPerPixel, int bitsAllocated, string? file, DicomTransferSyntax syntax) =>
        new Jpeg2000Decoder(Unwrap(stream.ToArray()), file, syntax).Run(rows, columns, samplesPerPixel, bitsAllocated);

    private DicomCodecException Error(string problem) => new(_file, _syntax, $"JPEG 2000 at byte {_pos}: {problem}");

    /// <summary>Some writers put a JP2 file in the fragments instead of a bare codestream: take its 'jp2c' box.</summary>
    private static byte[] Unwrap(byte[] data)
    {
        if (data.Length < 12 || BinaryPrimitives.ReadUInt32BigEndian(data) != 12 || BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(4)) != 0x6A502020)
            return data;
        for (long at = 0; at + 8 <= data.Length;)
        {
            long length = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan((int)at));
            var type = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan((int)at + 4));
            var header = 8;
            if (length == 1 && at + 16 <= data.Length) { length = (long)BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan((int)at + 8)); header = 16; }
            if (length == 0) length = data.Length - at;
            if (length < header || at + length > data.Length) break;
            if (type == 0x6A703263) return data[(int)(at + header)..(int)(at + length)]; // 'jp2c'
            at += length;
        }
        return data;
    }

    private int U8() => _pos < _data.Length ? _data[_pos++] : throw Error("the stream ends inside a marker segment");

    private int U16() => U8() << 8 | U8();

    private int U32() => U16() << 16 | U16();

    private byte[] Run(int rows, int columns, int samplesPerPixel, int bitsAllocated)
    {
        if (U16() != 0xFF4F) throw Error("no start-of-codestream marker");
        var tileParts = new SortedDictionary<int, List<(int Start, int End)>>();
        var tileHeaders = new Dictionary<int, TileHeader>();
        var sawSiz = false;
        while (true)
        {
            if (_pos + 2 > _data.Length) break; // a missing EOC is tolerated, as by other decoders
            var marker = U16();
            if (marker == 0xFFD9) break;
            if (marker == 0xFF90)
            {
                if (!sawSiz) throw Error("tile before the image header");
                ReadTilePart(tileParts, tileHeaders);
                continue;
            }
            var length = U16() - 2;
            if (length < 0 || _pos + length > _data.Length) throw Error($"marker segment 0x{marker:X4} of length {length + 2} runs past the end");
            var end = _pos + length;
            switch (marker)
            {
                case 0xFF51:
                    ReadSiz(rows, columns, samplesPerPixel, bitsAllocated);
                    sawSiz = true;
                    break;
                case 0xFF52: _cod = ReadCod(); break;
                case 0xFF53: { var (c, style) = ReadCoc(); _coc[c] = style; break; }
                case 0xFF5C: _qcd = ReadQuantization(end); break;
                case 0xFF5D: { var c = ComponentIndex(); _qcc[c] = ReadQuantization(end); break; }
                case 0xFF5E: throw Error("regions of interest (RGN) are not supported");
                case 0xFF5F: throw Error("progression order changes (POC) are not supported");
                case 0xFF60: throw Error("packed packet headers (PPM) are not supported");
                default:
                    if ((marker & 0xFF00) != 0xFF00) throw Error($"expected a marker, found 0x{marker:X4}");
                    break; // TLM, PLM, CRG, COM, CAP, …: not needed to decode
            }
            _pos = end;
        }
        if (!sawSiz) throw Error("no image header (SIZ)");
        if (_qcd is null) throw Error("no quantisation default (QCD)");

        var planes = new int[_components][];
        for (var c = 0; c < _components; c++) planes[c] = new int[(_xsiz - _xosiz) * (_ysiz - _yosiz)];
        var tilesX = (_xsiz - _xtosiz + _xtsiz - 1) / _xtsiz;
        var tilesY = (_ysiz - _ytosiz + _ytsiz - 1) / _ytsiz;
        if ((long)tilesX * tilesY > 16384) throw Error($"{tilesX} × {tilesY} tiles");
        for (var t = 0; t < tilesX * tilesY; t++)
        {
            if (!tileParts.TryGetValue(t, out var parts)) throw Error($"tile {t} is missing");
            DecodeTile(t, tilesX, parts, tileHeaders.GetValueOrDefault(t), planes);
        }
        return CodecOutput.Interleave(planes, bitsAllocated);
    }

    private void ReadSiz(int rows, int columns, int samplesPerPixel, int bitsAllocated)
    {
        U16(); // Rsiz
        _xsiz = U32(); _ysiz = U32(); _xosiz = U32(); _yosiz = U32();
        _xtsiz = U32(); _ytsiz = U32(); _xtosiz = U32(); _ytosiz = U32();
        _components = U16();
        if (new[] { _xsiz, _ysiz, _xosiz, _yosiz, _xtsiz, _ytsiz, _xtosiz, _ytosiz }.Any(v => v < 0)) throw Error("image geometry beyond 2^31");
        if (_xsiz <= _xosiz || _ysiz <= _yosiz || _xtsiz <= 0 || _ytsiz <= 0 || _xtosiz > _xosiz || _ytosiz > _yosiz
            || _xtosiz + _xtsiz <= _xosiz || _ytosiz + _ytsiz <= _yosiz)
            throw Error("inconsistent image and tile geometry");
        if (_xsiz - _xosiz != columns || _ysiz - _yosiz != rows || _components != samplesPerPixel)
            throw Error($"image is {_xsiz - _xosiz} × {_ysiz - _yosiz} × {_components}, the data set says {columns} × {rows} × {samplesPerPixel}");
        _precision = new int[_components];
        _signed = new bool[_components];
        for (var c = 0; c < _components; c++)
        {
            var s = U8();
            _precision[c] = (s & 0x7F) + 1;
            _signed[c] = (s & 0x80) != 0;
            if (U8() != 1 || U8() != 1) throw Error("sub-sampled components are not supported");
            if (_precision[c] > 16 || (_precision[c] > 8 && bitsAllocated < 16)) throw Error($"{_precision[c]}-bit samples in {bitsAllocated}-bit pixels");
        }
    }

    private int ComponentIndex()
    {
        var c = _components < 257 ? U8() : U16();
        return c < _components ? c : throw Error($"component {c} of {_components}");
    }

    private CodingStyle ReadCod()
    {
        var scod = U8();
        var style = new CodingStyle
        {
            Sop = (scod & 2) != 0,
            Eph = (scod & 4) != 0,
            Progression = U8(),
            Layers = U16(),
            MultipleComponentTransform = U8(),
        };
        if (style.Progression > 4) throw Error($"progression order {style.Progression}");
        if (style.Layers == 0) throw Error("zero quality layers");
        ReadComponentStyle(style, (scod & 1) != 0);
        return style;
    }

    private (int Component, CodingStyle Style) ReadCoc()
    {
        var c = ComponentIndex();
        var scoc = U8();
        var style = _cod.Clone(); // its component fields are all read below; progression and layers come from COD
        ReadComponentStyle(style, (scoc & 1) != 0);
        return (c, style);
    }

    private void ReadComponentStyle(CodingStyle style, bool customPrecincts)
    {
        style.Levels = U8();
        style.BlockWidthExponent = U8() + 2;
        style.BlockHeightExponent = U8() + 2;
        style.BlockStyle = U8();
        style.Reversible = U8() == 1;
        if (style.Levels > 32) throw Error($"{style.Levels} decomposition levels");
        if (style.BlockWidthExponent > 10 || style.BlockHeightExponent > 10 || style.BlockWidthExponent + style.BlockHeightExponent > 12)
            throw Error("code-block size out of range");
        if ((style.BlockStyle & 0xC0) != 0) throw Error($"code-block style 0x{style.BlockStyle:X2} (HTJ2K) is not supported");
        style.PrecinctWidthExponents = new int[style.Levels + 1];
        style.PrecinctHeightExponents = new int[style.Levels + 1];
        for (var r = 0; r <= style.Levels; r++)
        {
            var p = customPrecincts ? U8() : 0xFF;
            style.PrecinctWidthExponents[r] = p & 0x0F;
            style.PrecinctHeightExponents[r] = p >> 4;
            if (customPrecincts && r > 0 && (style.PrecinctWidthExponents[r] == 0 || style.PrecinctHeightExponents[r] == 0))
                throw Error("a precinct of size 1 above resolution 0");
        }
    }

    private Quantization ReadQuantization(int end)
    {
        var sq = U8();
        var q = new Quantization { Style = sq & 0x1F, GuardBits = sq >> 5 };
        var values = new List<(int Exponent, int Mantissa)>();
        if (q.Style == 0)
            while (_pos < end) values.Add((U8() >> 3, 0));
        else if (q.Style is 1 or 2)
            while (_pos + 1 < end)
            {
                var v = U16();
                values.Add((v >> 11, v & 0x7FF));
            }
        else throw Error($"quantisation style {q.Style}");
        if (values.Count == 0) throw Error("quantisation without step sizes");
        q.Steps = [.. values];
        return q;
    }

    private void ReadTilePart(SortedDictionary<int, List<(int, int)>> tileParts, Dictionary<int, TileHeader> headers)
    {
        var start = _pos - 2;
        if (U16() != 10) throw Error("tile-part header of wrong length");
        var tile = U16();
        long length = (uint)U32();
        var part = U8();
        U8(); // TNsot
        var end = length == 0 ? _data.Length : start + length;
        if (end > _data.Length || end < _pos) throw Error($"tile-part of {length} bytes runs past the end");
        if (!headers.TryGetValue(tile, out var header)) headers[tile] = header = new TileHeader();
        while (true)
        {
            var marker = U16();
            if (marker == 0xFF93) break;
            var segment = U16() - 2;
            if (segment < 0 || _pos + segment > end) throw Error($"tile-part marker 0x{marker:X4} runs past the tile-part");
            var segmentEnd = _pos + segment;
            if (part == 0)
            {
                switch (marker)
                {
                    case 0xFF52: header.Cod = ReadCod(); header.Coc.Clear(); break;
                    case 0xFF53: { var c = ComponentIndex(); var scoc = U8(); var s = (header.Cod ?? _cod).Clone(); ReadComponentStyle(s, (scoc & 1) != 0); header.Coc[c] = s; break; }
                    case 0xFF5C: header.Qcd = ReadQuantization(segmentEnd); header.Qcc.Clear(); break;
                    case 0xFF5D: { var c = ComponentIndex(); header.Qcc[c] = ReadQuantization(segmentEnd); break; }
                }
            }
            switch (marker)
            {
                case 0xFF5E: throw Error("regions of interest (RGN) are not supported");
                case 0xFF5F: throw Error("progression order changes (POC) are not supported");
                case 0xFF61: throw Error("packed packet headers (PPT) are not supported");
            }
            _pos = segmentEnd;
        }
        if (!tileParts.TryGetValue(tile, out var parts)) tileParts[tile] = parts = [];
        parts.Add((_pos, (int)end));
        _pos = (int)end;
    }

    private sealed class CodingStyle
    {
        public bool Sop, Eph, Reversible;
        public int Progression, Layers, MultipleComponentTransform, Levels, BlockWidthExponent, BlockHeightExponent, BlockStyle;
        public int[] PrecinctWidthExponents = [], PrecinctHeightExponents = [];

        public CodingStyle Clone() => (CodingStyle)MemberwiseClone();
    }

    private sealed class Quantization
    {
        public int Style, GuardBits;
        public (int Exponent, int Mantissa)[] Steps = [];
    }

    private sealed class TileHeader
    {
        public CodingStyle? Cod;
        public readonly Dictionary<int, CodingStyle> Coc = [];
        public Quantization? Qcd;
        public readonly Dictionary<int, Quantization> Qcc = [];
    }
}
