namespace FacetMlNet.Dicom.Codecs;

/// <summary>Tile decoding: geometry (T.800 Annex B), packets (tier 2), code-blocks (tier 1), dequantisation, wavelet, colour.</summary>
internal sealed partial class Jpeg2000Decoder
{
    private sealed class CodeBlock
    {
        public int X0, Y0, X1, Y1;
        public bool Included;
        public int Bitplanes, Lblock = 3, Passes;
        public readonly List<Segment> Segments = [];
    }

    /// <summary>
    /// A codeword segment: passes coded without termination between them, their bytes gathered from one or more packets.
    /// One segment for the whole block by default; one per pass with terminate-each-pass; with the arithmetic coding
    /// bypass, the first ten passes, then the raw significance and refinement passes of each bit-plane, then its cleanup.
    /// </summary>
    private sealed class Segment(int maxPasses)
    {
        public int MaxPasses { get; } = maxPasses;
        public int Passes;
        public readonly List<(int Start, int Length)> Chunks = [];

        public static Segment Next(CodeBlock block, int blockStyle)
        {
            if ((blockStyle & TerminateEachPass) != 0) return new Segment(1);
            if ((blockStyle & Bypass) == 0) return new Segment(int.MaxValue);
            if (block.Segments.Count == 0) return new Segment(10);
            return new Segment(block.Segments[^1].MaxPasses is 1 or 10 ? 2 : 1);
        }
    }

    private const int Bypass = 0x01, ResetContexts = 0x02, TerminateEachPass = 0x04, VerticallyCausal = 0x08, SegmentationSymbols = 0x20;

    private sealed class Precinct
    {
        public int BlocksWide, BlocksHigh;
        public CodeBlock[] Blocks = [];
        public TagTree Inclusion = null!, ZeroBitplanes = null!;
    }

    private sealed class Band
    {
        public int Orientation; // 0 LL, 1 HL, 2 LH, 3 HH
        public int X0, Y0, X1, Y1, Mb;
        public double Step;
        public Precinct[] Precincts = [];
        public int[] Coefficients = [];
        public float[] Real = [];
    }

    private sealed class Resolution
    {
        public int X0, Y0, X1, Y1, PrecinctWidthExponent, PrecinctHeightExponent, PrecinctsWide, PrecinctsHigh;
        public Band[] Bands = [];
    }

    private sealed class TileComponent
    {
        public int X0, Y0, X1, Y1;
        public CodingStyle Style = null!;
        public Resolution[] Resolutions = [];
    }

    private static int CeilDiv(long a, long b) => (int)(a >= 0 ? (a + b - 1) / b : -(-a / b));

    private static int FloorDiv(long a, long b) => (int)(a >= 0 ? a / b : -((-a + b - 1) / b));

    private void DecodeTile(int index, int tilesX, List<(int Start, int End)> parts, TileHeader? header, int[][] planes)
    {
        var (p, q) = (index % tilesX, index / tilesX);
        var tx0 = Math.Max(_xtosiz + p * _xtsiz, _xosiz);
        var ty0 = Math.Max(_ytosiz + q * _ytsiz, _yosiz);
        var tx1 = Math.Min(_xtosiz + (p + 1) * _xtsiz, _xsiz);
        var ty1 = Math.Min(_ytosiz + (q + 1) * _ytsiz, _ysiz);
        var global = header?.Cod ?? _cod;

        // The tile's data: its tile-parts' bodies, one after the other (packets run on across tile-parts).
        var data = new byte[parts.Sum(t => t.End - t.Start)];
        var at = 0;
        foreach (var (start, end) in parts)
        {
            Buffer.BlockCopy(_data, start, data, at, end - start);
            at += end - start;
        }

        var components = new TileComponent[_components];
        for (var c = 0; c < _components; c++)
        {
            var style = header?.Coc.GetValueOrDefault(c) ?? header?.Cod ?? _coc.GetValueOrDefault(c) ?? _cod;
            var quant = header?.Qcc.GetValueOrDefault(c) ?? header?.Qcd ?? _qcc.GetValueOrDefault(c) ?? _qcd!;
            components[c] = BuildComponent(tx0, ty0, tx1, ty1, style, quant, _precision[c]);
        }

        ReadPackets(data, global, components, tx0, ty0, tx1, ty1);

        var values = new float[_components][];
        var integers = new int[_components][];
        for (var c = 0; c < _components; c++)
        {
            var tc = components[c];
            foreach (var r in tc.Resolutions)
                foreach (var b in r.Bands)
                    DecodeBlocks(data, tc.Style, b);
            if (tc.Style.Reversible) integers[c] = InverseReversible(tc);
            else values[c] = InverseIrreversible(tc);
        }

        var width = tx1 - tx0;
        var count = width * (ty1 - ty0);
        if (global.MultipleComponentTransform == 1 && _components >= 3)
        {
            if (components[0].Style.Reversible) InverseRct(integers, count);
            else InverseIct(values, count);
        }
        for (var c = 0; c < _components; c++)
        {
            var shift = _signed[c] ? 0 : 1 << (_precision[c] - 1);
            var (min, max) = _signed[c] ? (-(1 << (_precision[c] - 1)), (1 << (_precision[c] - 1)) - 1) : (0, (1 << _precision[c]) - 1);
            var plane = planes[c];
            var imageWidth = _xsiz - _xosiz;
            for (var y = 0; y < ty1 - ty0; y++)
                for (var x = 0; x < width; x++)
                {
                    var i = y * width + x;
                    var v = components[c].Style.Reversible ? integers[c][i] : (int)MathF.Round(values[c][i], MidpointRounding.AwayFromZero);
                    plane[(ty0 - _yosiz + y) * imageWidth + tx0 - _xosiz + x] = Math.Clamp(v + shift, min, max);
                }
        }
    }

    private TileComponent BuildComponent(int tx0, int ty0, int tx1, int ty1, CodingStyle style, Quantization quant, int precision)
    {
        var levels = style.Levels;
        var tc = new TileComponent { X0 = tx0, Y0 = ty0, X1 = tx1, Y1 = ty1, Style = style, Resolutions = new Resolution[levels + 1] };
        var bandIndex = 0;
        for (var r = 0; r <= levels; r++)
        {
            var scale = 1L << (levels - r);
            var res = new Resolution
            {
                X0 = CeilDiv(tx0, scale), Y0 = CeilDiv(ty0, scale), X1 = CeilDiv(tx1, scale), Y1 = CeilDiv(ty1, scale),
                PrecinctWidthExponent = style.PrecinctWidthExponents[r], PrecinctHeightExponent = style.PrecinctHeightExponents[r],
            };
            res.PrecinctsWide = res.X1 > res.X0 ? CeilDiv(res.X1, 1L << res.PrecinctWidthExponent) - FloorDiv(res.X0, 1L << res.PrecinctWidthExponent) : 0;
            res.PrecinctsHigh = res.Y1 > res.Y0 ? CeilDiv(res.Y1, 1L << res.PrecinctHeightExponent) - FloorDiv(res.Y0, 1L << res.PrecinctHeightExponent) : 0;
            var orientations = r == 0 ? new[] { 0 } : new[] { 1, 2, 3 };
            res.Bands = new Band[orientations.Length];
            for (var k = 0; k < orientations.Length; k++)
            {
                var o = orientations[k];
                var nb = r == 0 ? levels : levels - r + 1;
                var (xob, yob) = (o & 1, o >> 1);
                var half = nb == 0 ? 0 : 1L << (nb - 1);
                var band = new Band
                {
                    Orientation = o,
                    X0 = CeilDiv(tx0 - half * xob, 1L << nb), Y0 = CeilDiv(ty0 - half * yob, 1L << nb),
                    X1 = CeilDiv(tx1 - half * xob, 1L << nb), Y1 = CeilDiv(ty1 - half * yob, 1L << nb),
                };
                var (exponent, mantissa) = quant.Style == 1
                    ? (quant.Steps[0].Exponent - levels + nb, quant.Steps[0].Mantissa)
                    : bandIndex < quant.Steps.Length ? quant.Steps[bandIndex] : throw Error($"no quantisation step for sub-band {bandIndex}");
                band.Mb = quant.GuardBits + exponent - 1;
                var gain = o == 0 ? 0 : o == 3 ? 2 : 1;
                band.Step = Math.Pow(2, precision + gain - exponent) * (1 + mantissa / 2048.0);
                if (band.Mb > 30) throw Error($"sub-band of {band.Mb} magnitude bit-planes");
                BuildPrecincts(res, band, r, style);
                res.Bands[k] = band;
                bandIndex++;
            }
            tc.Resolutions[r] = res;
        }
        return tc;
    }

    private static void BuildPrecincts(Resolution res, Band band, int r, CodingStyle style)
    {
        // Precincts and code-blocks in band coordinates: a precinct of 2^PP in the resolution spans 2^(PP−1) in a band above
        // resolution 0; code-blocks are no larger than the precinct (T.800 B.6, B.7).
        var ppx = res.PrecinctWidthExponent - (r > 0 ? 1 : 0);
        var ppy = res.PrecinctHeightExponent - (r > 0 ? 1 : 0);
        var xcb = Math.Min(style.BlockWidthExponent, ppx);
        var ycb = Math.Min(style.BlockHeightExponent, ppy);
        var firstPx = FloorDiv(res.X0, 1L << res.PrecinctWidthExponent);
        var firstPy = FloorDiv(res.Y0, 1L << res.PrecinctHeightExponent);
        band.Precincts = new Precinct[res.PrecinctsWide * res.PrecinctsHigh];
        for (var j = 0; j < res.PrecinctsHigh; j++)
            for (var i = 0; i < res.PrecinctsWide; i++)
            {
                var px0 = Math.Max(band.X0, (long)(firstPx + i) << ppx);
                var py0 = Math.Max(band.Y0, (long)(firstPy + j) << ppy);
                var px1 = Math.Min(band.X1, (long)(firstPx + i + 1) << ppx);
                var py1 = Math.Min(band.Y1, (long)(firstPy + j + 1) << ppy);
                var precinct = new Precinct();
                if (px1 > px0 && py1 > py0)
                {
                    var cbx0 = FloorDiv(px0, 1L << xcb);
                    var cby0 = FloorDiv(py0, 1L << ycb);
                    precinct.BlocksWide = CeilDiv(px1, 1L << xcb) - cbx0;
                    precinct.BlocksHigh = CeilDiv(py1, 1L << ycb) - cby0;
                    precinct.Blocks = new CodeBlock[precinct.BlocksWide * precinct.BlocksHigh];
                    for (var b = 0; b < precinct.Blocks.Length; b++)
                    {
                        var (bi, bj) = (cbx0 + b % precinct.BlocksWide, cby0 + b / precinct.BlocksWide);
                        precinct.Blocks[b] = new CodeBlock
                        {
                            X0 = (int)Math.Max(px0, (long)bi << xcb), Y0 = (int)Math.Max(py0, (long)bj << ycb),
                            X1 = (int)Math.Min(px1, (long)(bi + 1) << xcb), Y1 = (int)Math.Min(py1, (long)(bj + 1) << ycb),
                        };
                    }
                }
                precinct.Inclusion = new TagTree(precinct.BlocksWide, precinct.BlocksHigh);
                precinct.ZeroBitplanes = new TagTree(precinct.BlocksWide, precinct.BlocksHigh);
                band.Precincts[j * res.PrecinctsWide + i] = precinct;
            }
    }

    /// <summary>Visits every packet of the tile in its progression order (T.800 B.12) and reads it.</summary>
    private void ReadPackets(byte[] data, CodingStyle global, TileComponent[] components, int tx0, int ty0, int tx1, int ty1)
    {
        var reader = new PacketReader(data, this);
        var maxLevels = components.Max(c => c.Style.Levels);
        void Packet(int c, int r, int precinct, int layer)
        {
            var res = components[c].Resolutions[r];
            if (precinct < res.PrecinctsWide * res.PrecinctsHigh) reader.Read(res, precinct, layer, global, components[c].Style.BlockStyle);
        }
        switch (global.Progression)
        {
            case 0: // LRCP
                for (var l = 0; l < global.Layers; l++)
                    for (var r = 0; r <= maxLevels; r++)
                        for (var c = 0; c < components.Length; c++)
                            if (r <= components[c].Style.Levels)
                                for (var k = 0; k < Count(components[c], r); k++) Packet(c, r, k, l);
                break;
            case 1: // RLCP
                for (var r = 0; r <= maxLevels; r++)
                    for (var l = 0; l < global.Layers; l++)
                        for (var c = 0; c < components.Length; c++)
                            if (r <= components[c].Style.Levels)
                                for (var k = 0; k < Count(components[c], r); k++) Packet(c, r, k, l);
                break;
            default: // RPCL, PCRL, CPRL: precincts visited by their position on the reference grid
                foreach (var (c, r, k) in PositionOrder(global.Progression, components, tx0, ty0, tx1, ty1))
                    for (var l = 0; l < global.Layers; l++) Packet(c, r, k, l);
                break;
        }
    }

    private static int Count(TileComponent c, int r) => c.Resolutions[r].PrecinctsWide * c.Resolutions[r].PrecinctsHigh;

    private static IEnumerable<(int C, int R, int Precinct)> PositionOrder(int progression, TileComponent[] components, int tx0, int ty0, int tx1, int ty1)
    {
        IEnumerable<(int C, int R, int Precinct)> At(long x, long y, int c, int r)
        {
            var tc = components[c];
            if (r > tc.Style.Levels) yield break;
            var res = tc.Resolutions[r];
            var level = tc.Style.Levels - r;
            var (rpx, rpy) = (res.PrecinctWidthExponent + level, res.PrecinctHeightExponent + level);
            if (res.X0 == res.X1 || res.Y0 == res.Y1) yield break;
            var onRow = y % (1L << rpy) == 0 || (y == ty0 && ((long)res.Y0 << level) % (1L << rpy) != 0);
            var onColumn = x % (1L << rpx) == 0 || (x == tx0 && ((long)res.X0 << level) % (1L << rpx) != 0);
            if (!onRow || !onColumn) yield break;
            var i = FloorDiv(CeilDiv(x, 1L << level), 1L << res.PrecinctWidthExponent) - FloorDiv(res.X0, 1L << res.PrecinctWidthExponent);
            var j = FloorDiv(CeilDiv(y, 1L << level), 1L << res.PrecinctHeightExponent) - FloorDiv(res.Y0, 1L << res.PrecinctHeightExponent);
            yield return (c, r, j * res.PrecinctsWide + i);
        }
        long Step(Func<Resolution, int> exponent, IEnumerable<int> comps) =>
            comps.SelectMany(c => components[c].Resolutions.Select((res, r) => 1L << (exponent(res) + components[c].Style.Levels - r))).Min();
        var all = Enumerable.Range(0, components.Length).ToArray();
        var maxLevels = components.Max(c => c.Style.Levels);
        IEnumerable<long> Grid(long from, long to, long step) { for (var v = from; v < to; v += step - v % step) yield return v; }

        if (progression == 2) // RPCL
        {
            var (dx, dy) = (Step(res => res.PrecinctWidthExponent, all), Step(res => res.PrecinctHeightExponent, all));
            for (var r = 0; r <= maxLevels; r++)
                foreach (var y in Grid(ty0, ty1, dy))
                    foreach (var x in Grid(tx0, tx1, dx))
                        foreach (var c in all)
                            foreach (var v in At(x, y, c, r)) yield return v;
        }
        else if (progression == 3) // PCRL
        {
            var (dx, dy) = (Step(res => res.PrecinctWidthExponent, all), Step(res => res.PrecinctHeightExponent, all));
            foreach (var y in Grid(ty0, ty1, dy))
                foreach (var x in Grid(tx0, tx1, dx))
                    foreach (var c in all)
                        for (var r = 0; r <= components[c].Style.Levels; r++)
                            foreach (var v in At(x, y, c, r)) yield return v;
        }
        else // CPRL
        {
            foreach (var c in all)
            {
                var (dx, dy) = (Step(res => res.PrecinctWidthExponent, [c]), Step(res => res.PrecinctHeightExponent, [c]));
                foreach (var y in Grid(ty0, ty1, dy))
                    foreach (var x in Grid(tx0, tx1, dx))
                        for (var r = 0; r <= components[c].Style.Levels; r++)
                            foreach (var v in At(x, y, c, r)) yield return v;
            }
        }
    }

    /// <summary>Packet headers (T.800 B.10) and bodies: which code-blocks contribute how many passes and bytes.</summary>
    private sealed class PacketReader(byte[] data, Jpeg2000Decoder owner)
    {
        private int _pos, _buffer, _bits;

        private int Bit()
        {
            if (_bits == 0)
            {
                if (_pos >= data.Length) throw owner.Error("a packet header runs past the tile's data");
                var stuffed = _buffer == 0xFF;
                _buffer = data[_pos++];
                _bits = stuffed ? 7 : 8;
            }
            return (_buffer >> --_bits) & 1;
        }

        private int Bits(int n)
        {
            var v = 0;
            for (var i = 0; i < n; i++) v = v << 1 | Bit();
            return v;
        }

        private void Align()
        {
            if (_buffer == 0xFF)
            {
                if (_pos >= data.Length) throw owner.Error("a packet header runs past the tile's data");
                _buffer = data[_pos++]; // the byte after a 0xFF always belongs to the header
            }
            _bits = 0;
            _buffer = 0;
        }

        public void Read(Resolution res, int precinct, int layer, CodingStyle style, int blockStyle)
        {
            if (style.Sop && _pos + 6 <= data.Length && data[_pos] == 0xFF && data[_pos + 1] == 0x91) _pos += 6;
            var included = new List<(Segment Segment, int Length)>();
            if (Bit() == 1)
            {
                foreach (var band in res.Bands)
                {
                    var p = band.Precincts[precinct];
                    for (var b = 0; b < p.Blocks.Length; b++)
                    {
                        var block = p.Blocks[b];
                        bool inside;
                        if (!block.Included) inside = p.Inclusion.Decode(this, b % p.BlocksWide, b / p.BlocksWide, layer + 1);
                        else inside = Bit() == 1;
                        if (!inside) continue;
                        if (!block.Included)
                        {
                            var zero = 0;
                            while (!p.ZeroBitplanes.Decode(this, b % p.BlocksWide, b / p.BlocksWide, zero + 1))
                                if (++zero > 64) throw owner.Error("corrupt zero bit-plane tag tree");
                            block.Bitplanes = band.Mb - zero;
                            block.Included = true;
                        }
                        var passes = Passes();
                        while (Bit() == 1)
                            if (++block.Lblock > 28) throw owner.Error("a code-block length of more than 2^28 bytes (corrupt packet header)");
                        block.Passes += passes;
                        // One length per codeword segment the new passes reach into (T.800 B.10.7).
                        while (passes > 0)
                        {
                            if (block.Segments.Count == 0 || block.Segments[^1].Passes == block.Segments[^1].MaxPasses)
                                block.Segments.Add(Segment.Next(block, blockStyle));
                            var segment = block.Segments[^1];
                            var take = Math.Min(segment.MaxPasses - segment.Passes, passes);
                            included.Add((segment, Bits(block.Lblock + Log2(take))));
                            segment.Passes += take;
                            passes -= take;
                        }
                    }
                }
            }
            Align();
            if (style.Eph)
            {
                if (_pos + 2 > data.Length || data[_pos] != 0xFF || data[_pos + 1] != 0x92) throw owner.Error("missing end-of-packet-header marker");
                _pos += 2;
            }
            foreach (var (segment, length) in included)
            {
                if (length > data.Length - _pos) throw owner.Error($"a code-block contribution of {length} bytes runs past the tile's data");
                if (length > 0) segment.Chunks.Add((_pos, length));
                _pos += length;
            }
        }

        private int Passes()
        {
            if (Bit() == 0) return 1;
            if (Bit() == 0) return 2;
            var n = Bits(2);
            if (n != 3) return 3 + n;
            n = Bits(5);
            if (n != 31) return 6 + n;
            return 37 + Bits(7);
        }

        private static int Log2(int n) => 31 - System.Numerics.BitOperations.LeadingZeroCount((uint)n);

        public int ReadBit() => Bit();
    }

    /// <summary>A tag tree (T.800 B.10.2): values of a grid coded top-down, each node no larger than its children.</summary>
    private sealed class TagTree
    {
        private readonly int[][] _value, _low;
        private readonly int[] _width;

        public TagTree(int width, int height)
        {
            var levels = new List<(int W, int H)> { (Math.Max(width, 1), Math.Max(height, 1)) };
            while (levels[^1].W > 1 || levels[^1].H > 1) levels.Add(((levels[^1].W + 1) / 2, (levels[^1].H + 1) / 2));
            _value = [.. levels.Select(l => Enumerable.Repeat(int.MaxValue, l.W * l.H).ToArray())];
            _low = [.. levels.Select(l => new int[l.W * l.H])];
            _width = [.. levels.Select(l => l.W)];
        }

        /// <summary>True when the leaf's value is below <paramref name="threshold"/>, reading bits only as needed.</summary>
        public bool Decode(PacketReader reader, int x, int y, int threshold)
        {
            var low = 0;
            for (var level = _value.Length - 1; level >= 0; level--)
            {
                var i = (y >> level) * _width[level] + (x >> level);
                if (low > _low[level][i]) _low[level][i] = low;
                else low = _low[level][i];
                while (low < threshold && low < _value[level][i])
                {
                    if (reader.ReadBit() == 1) _value[level][i] = low;
                    else low++;
                }
                _low[level][i] = low;
                if (level == 0) return _value[0][i] < threshold;
            }
            return false;
        }
    }
}
