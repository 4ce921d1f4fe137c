namespace FacetMlNet.Dicom.Codecs;

/// <summary>Tier 1 (T.800 Annex D: EBCOT with the MQ decoder of Annex C), the inverse wavelets (Annex F), colour (Annex G).</summary>
internal sealed partial class Jpeg2000Decoder
{
    private const int ContextRun = 17, ContextUniform = 18;

    // MQ coder probability states (T.800 Table C.2): Qe, next index after MPS, after LPS, and whether LPS switches the MPS.
    private static readonly int[] Qe =
    [
        0x5601, 0x3401, 0x1801, 0x0AC1, 0x0521, 0x0221, 0x5601, 0x5401, 0x4801, 0x3801, 0x3001, 0x2401, 0x1C01, 0x1601,
        0x5601, 0x5401, 0x5101, 0x4801, 0x3801, 0x3401, 0x3001, 0x2801, 0x2401, 0x2201, 0x1C01, 0x1801, 0x1601, 0x1401,
        0x1201, 0x1101, 0x0AC1, 0x09C1, 0x08A1, 0x0521, 0x0441, 0x02A1, 0x0221, 0x0141, 0x0111, 0x0085, 0x0049, 0x0025,
        0x0015, 0x0009, 0x0005, 0x0001, 0x5601,
    ];
    private static readonly byte[] NextMps =
        [1, 2, 3, 4, 5, 38, 7, 8, 9, 10, 11, 12, 13, 29, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 45, 46];
    private static readonly byte[] NextLps =
        [1, 6, 9, 12, 29, 33, 6, 14, 14, 14, 17, 18, 20, 21, 14, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 46];
    private static readonly bool[] Switch = [.. Enumerable.Range(0, 47).Select(i => i is 0 or 6 or 14)];

    // The same as one table over (state, MPS) pairs, index = state · 2 + MPS: a context is one byte, a transition one load.
    private static readonly uint[] QeOf = [.. Enumerable.Range(0, 94).Select(x => (uint)Qe[x >> 1])];
    private static readonly byte[] AfterMps = [.. Enumerable.Range(0, 94).Select(x => (byte)(NextMps[x >> 1] * 2 + (x & 1)))];
    private static readonly byte[] AfterLps = [.. Enumerable.Range(0, 94).Select(x => (byte)(NextLps[x >> 1] * 2 + (Switch[x >> 1] ? 1 - (x & 1) : x & 1)))];

    /// <summary>
    /// The MQ arithmetic decoder (T.800 Annex C) over a codeword segment's bytes (two 0xFF appended, as the standard pads
    /// the end), or, for the bypassed passes, a raw bit reader with the same byte stuffing (D.6). Contexts survive a new
    /// segment; they are reset per code-block, and per pass in the reset style.
    /// </summary>
    private sealed class MqDecoder
    {
        private byte[] _data = [0xFF, 0xFF];
        private int _bp;
        private uint _a, _c;
        private int _ct;
        private readonly byte[] _context = new byte[19]; // state · 2 + MPS

        /// <summary>True while decoding a raw (bypassed) segment: decisions are plain bits, signs without prediction.</summary>
        public bool IsRaw { get; private set; }

        public MqDecoder() => ResetContexts();

        /// <summary>Starts an arithmetically coded segment (INITDEC).</summary>
        public void StartArithmetic(byte[] data)
        {
            (_data, _bp, IsRaw) = (data, 0, false);
            _c = (uint)_data[0] << 16;
            ByteIn();
            _c <<= 7;
            _ct -= 7;
            _a = 0x8000;
        }

        /// <summary>Starts a raw segment.</summary>
        public void StartRaw(byte[] data) => (_data, _bp, _c, _ct, IsRaw) = (data, 0, 0, 0, true);

        private int RawBit()
        {
            if (_ct == 0)
            {
                var next = _bp < _data.Length ? _data[_bp] : (byte)0xFF;
                if (_c == 0xFF && next > 0x8F) _ct = 8; // a marker: ones from here
                else
                {
                    _ct = _c == 0xFF ? 7 : 8; // after 0xFF the high bit is stuffed
                    _c = next;
                    _bp++;
                }
            }
            _ct--;
            return (int)(_c >> _ct) & 1;
        }

        public void ResetContexts()
        {
            Array.Clear(_context);
            _context[ContextUniform] = 46 * 2;
            _context[ContextRun] = 3 * 2;
            _context[0] = 4 * 2;
        }

        private void ByteIn()
        {
            var b = _bp < _data.Length ? _data[_bp] : (byte)0xFF;
            var next = _bp + 1 < _data.Length ? _data[_bp + 1] : 0xFF;
            if (b == 0xFF)
            {
                if (next > 0x8F)
                {
                    _c += 0xFF00;
                    _ct = 8;
                }
                else
                {
                    _bp++;
                    _c += (uint)next << 9;
                    _ct = 7;
                }
            }
            else
            {
                _bp++;
                _c += (uint)next << 8;
                _ct = 8;
            }
        }

        public int Decode(int cx)
        {
            if (IsRaw) return RawBit();
            var x = _context[cx];
            var qe = QeOf[x];
            var mps = x & 1;
            _a -= qe;
            if ((_c >> 16) < qe)
            {
                // LPS exchange (conditional: an A below Qe makes the MPS the smaller interval)
                int d;
                if (_a < qe)
                {
                    d = mps;
                    _context[cx] = AfterMps[x];
                }
                else
                {
                    d = 1 - mps;
                    _context[cx] = AfterLps[x];
                }
                _a = qe;
                Renormalize();
                return d;
            }
            _c -= qe << 16;
            if ((_a & 0x8000) != 0) return mps;
            // MPS exchange
            int e;
            if (_a < qe)
            {
                e = 1 - mps;
                _context[cx] = AfterLps[x];
            }
            else
            {
                e = mps;
                _context[cx] = AfterMps[x];
            }
            Renormalize();
            return e;
        }

        private void Renormalize()
        {
            do
            {
                if (_ct == 0) ByteIn();
                _a <<= 1;
                _c <<= 1;
                _ct--;
            }
            while ((_a & 0x8000) == 0);
        }
    }

    // Per-sample state: which of the eight neighbours are significant, the signs of the four direct ones, and its own
    // state; kept up to date as samples become significant, so a context is a table lookup (as in OpenJPEG).
    private const int SigN = 1, SigS = 2, SigW = 4, SigE = 8, SigNW = 16, SigNE = 32, SigSW = 64, SigSE = 128;
    private const int NegN = 1 << 8, NegS = 1 << 9, NegW = 1 << 10, NegE = 1 << 11;
    private const int Significant = 1 << 12, Negative = 1 << 13, Visited = 1 << 14, Refined = 1 << 15;
    private const int SouthBits = SigS | SigSW | SigSE | NegS;

    /// <summary>Zero-coding context by orientation and the eight neighbour bits (T.800 Table D.1).</summary>
    private static readonly byte[][] ZeroContexts = [.. Enumerable.Range(0, 4).Select(o => Enumerable.Range(0, 256).Select(m =>
    {
        int Bit(int b) => (m & b) != 0 ? 1 : 0;
        return (byte)ZeroContext(Bit(SigW) + Bit(SigE), Bit(SigN) + Bit(SigS), Bit(SigNW) + Bit(SigNE) + Bit(SigSW) + Bit(SigSE), o);
    }).ToArray())];

    /// <summary>Sign-coding context and XOR bit (bit 7) by the direct neighbours' significance and signs (T.800 Table D.3).</summary>
    private static readonly byte[] SignContexts = [.. Enumerable.Range(0, 256).Select(m =>
    {
        int Contribution(int sig, int neg) => (m & sig) == 0 ? 0 : (m & neg) != 0 ? -1 : 1;
        var h = Math.Clamp(Contribution(SigW, NegW >> 4) + Contribution(SigE, NegE >> 4), -1, 1);
        var v = Math.Clamp(Contribution(SigN, NegN >> 4) + Contribution(SigS, NegS >> 4), -1, 1);
        var (cx, xor) = (h, v) switch
        {
            (1, 1) => (13, 0), (1, 0) => (12, 0), (1, -1) => (11, 0),
            (0, 1) => (10, 0), (0, 0) => (9, 0), (0, -1) => (10, 1),
            (-1, 1) => (11, 1), (-1, 0) => (12, 1), _ => (13, 1),
        };
        return (byte)(cx | xor << 7);
    })];

    /// <summary>Decodes every code-block of a band into its coefficients (scaled by 2: one bit for the mid-point).</summary>
    private void DecodeBlocks(byte[] data, CodingStyle style, Band band)
    {
        var width = band.X1 - band.X0;
        var height = band.Y1 - band.Y0;
        band.Coefficients = new int[Math.Max(0, width) * Math.Max(0, height)];
        foreach (var precinct in band.Precincts)
            foreach (var block in precinct.Blocks)
            {
                if (block.Passes == 0) continue;
                if (block.Bitplanes <= 0 || block.Bitplanes > 31) throw Error($"a code-block with {block.Bitplanes} bit-planes");
                if (block.Passes > 3 * block.Bitplanes - 2) throw Error($"{block.Passes} coding passes for {block.Bitplanes} bit-planes");
                var segments = block.Segments.Select(segment =>
                {
                    var bytes = new byte[segment.Chunks.Sum(c => c.Length) + 2];
                    var at = 0;
                    foreach (var (start, length) in segment.Chunks)
                    {
                        Buffer.BlockCopy(data, start, bytes, at, length);
                        at += length;
                    }
                    bytes[at] = bytes[at + 1] = 0xFF;
                    return (Bytes: bytes, segment.Passes);
                }).ToList();
                var w = block.X1 - block.X0;
                var h = block.Y1 - block.Y0;
                var values = new int[w * h];
                DecodeBlock(segments, values, w, h, block.Bitplanes, band.Orientation, style.BlockStyle);
                for (var y = 0; y < h; y++)
                    Array.Copy(values, y * w, band.Coefficients, (block.Y0 - band.Y0 + y) * width + block.X0 - band.X0, w);
            }
    }

    /// <summary>
    /// The three coding passes per bit-plane (T.800 D.3), most significant first, starting with a cleanup pass; each
    /// codeword segment restarts the decoder, raw for bypassed significance and refinement passes (after the tenth pass).
    /// </summary>
    private static void DecodeBlock(List<(byte[] Bytes, int Passes)> segments, int[] v, int w, int h, int bitplanes, int orientation, int blockStyle)
    {
        var flags = new int[(w + 2) * (h + 2)]; // one sample of border all round, never significant
        var stride = w + 2;
        var causal = (blockStyle & VerticallyCausal) != 0;
        var zc = ZeroContexts[orientation];
        var mq = new MqDecoder();
        var bit = bitplanes; // with the mid-point bit: plane p is 1 << (p + 1)
        var kind = 2; // cleanup first
        var pass = 0;
        foreach (var (bytes, passes) in segments)
        {
            var raw = (blockStyle & Bypass) != 0 && pass >= 10 && kind != 2;
            if (raw) mq.StartRaw(bytes);
            else mq.StartArithmetic(bytes);
            for (var k = 0; k < passes; k++, pass++)
            {
                var one = 1 << bit;
                var half = one >> 1;
                switch (kind)
                {
                    case 0: SignificancePass(mq, v, flags, w, h, stride, one | half, zc, causal); break;
                    case 1: RefinementPass(mq, v, flags, w, h, stride, half, causal); break;
                    default:
                        CleanupPass(mq, v, flags, w, h, stride, one | half, zc, causal);
                        if ((blockStyle & SegmentationSymbols) != 0) for (var i = 0; i < 4; i++) mq.Decode(ContextUniform);
                        break;
                }
                if ((blockStyle & ResetContexts) != 0) mq.ResetContexts();
                if (++kind == 3)
                {
                    kind = 0;
                    bit--;
                }
            }
        }
    }

    private static int ZeroContext(int h, int v, int d, int orientation)
    {
        if (orientation == 3)
        {
            var hv = h + v;
            return d >= 3 ? 8 : d == 2 ? (hv >= 1 ? 7 : 6) : d == 1 ? (hv >= 2 ? 5 : hv == 1 ? 4 : 3) : (hv >= 2 ? 2 : hv == 1 ? 1 : 0);
        }
        if (orientation == 1) (h, v) = (v, h); // HL: vertical neighbours first (T.800 Table D.1)
        return h == 2 ? 8 : h == 1 ? (v >= 1 ? 7 : d >= 1 ? 6 : 5) : v == 2 ? 4 : v == 1 ? 3 : d >= 2 ? 2 : d == 1 ? 1 : 0;
    }

    /// <summary>A sample's flags as its context sees them: the south row left out at a stripe's last row in vertically causal mode.</summary>
    private static int Seen(int[] flags, int i, bool causal, int y, int y0) => causal && y == y0 + 3 ? flags[i] & ~SouthBits : flags[i];

    /// <summary>Decodes a newly significant sample's sign, sets its value and tells its neighbours.</summary>
    private static void DecodeSign(MqDecoder mq, int[] v, int[] flags, int i, int k, int stride, int value, int seen)
    {
        var sc = SignContexts[(seen & 0x0F) | ((seen >> 4) & 0xF0)];
        var negative = mq.IsRaw ? mq.Decode(0) == 1 : (mq.Decode(sc & 0x7F) ^ (sc >> 7)) == 1;
        v[k] = negative ? -value : value;
        flags[i] |= Significant | (negative ? Negative : 0);
        flags[i - stride] |= SigS | (negative ? NegS : 0);
        flags[i + stride] |= SigN | (negative ? NegN : 0);
        flags[i - 1] |= SigE | (negative ? NegE : 0);
        flags[i + 1] |= SigW | (negative ? NegW : 0);
        flags[i - stride - 1] |= SigSE;
        flags[i - stride + 1] |= SigSW;
        flags[i + stride - 1] |= SigNE;
        flags[i + stride + 1] |= SigNW;
    }

    private static void SignificancePass(MqDecoder mq, int[] v, int[] flags, int w, int h, int stride, int value, byte[] zc, bool causal)
    {
        for (var y0 = 0; y0 < h; y0 += 4)
            for (var x = 0; x < w; x++)
                for (var y = y0; y < Math.Min(y0 + 4, h); y++)
                {
                    var i = (y + 1) * stride + x + 1;
                    var f = Seen(flags, i, causal, y, y0);
                    if ((f & Significant) != 0 || (f & 0xFF) == 0) continue;
                    flags[i] |= Visited;
                    if (mq.Decode(zc[f & 0xFF]) == 1) DecodeSign(mq, v, flags, i, y * w + x, stride, value, f);
                }
    }

    private static void RefinementPass(MqDecoder mq, int[] v, int[] flags, int w, int h, int stride, int half, bool causal)
    {
        for (var y0 = 0; y0 < h; y0 += 4)
            for (var x = 0; x < w; x++)
                for (var y = y0; y < Math.Min(y0 + 4, h); y++)
                {
                    var i = (y + 1) * stride + x + 1;
                    var f = Seen(flags, i, causal, y, y0);
                    if ((f & (Significant | Visited)) != Significant) continue;
                    var cx = (f & Refined) != 0 ? 16 : (f & 0xFF) == 0 ? 14 : 15;
                    var k = y * w + x;
                    var t = mq.Decode(cx) == 1 ? half : -half;
                    v[k] += v[k] < 0 ? -t : t;
                    flags[i] |= Refined;
                }
    }

    private static void CleanupPass(MqDecoder mq, int[] v, int[] flags, int w, int h, int stride, int value, byte[] zc, bool causal)
    {
        for (var y0 = 0; y0 < h; y0 += 4)
            for (var x = 0; x < w; x++)
            {
                var y = y0;
                if (y0 + 4 <= h)
                {
                    // Run mode: a full column of four insignificant, unvisited samples without significant neighbours.
                    var run = true;
                    for (var r = 0; r < 4 && run; r++)
                    {
                        var f = Seen(flags, (y0 + r + 1) * stride + x + 1, causal, y0 + r, y0);
                        run = (f & (Significant | Visited | 0xFF)) == 0;
                    }
                    if (run)
                    {
                        if (mq.Decode(ContextRun) == 0) continue;
                        y = y0 + (mq.Decode(ContextUniform) << 1 | mq.Decode(ContextUniform));
                        var i = (y + 1) * stride + x + 1;
                        DecodeSign(mq, v, flags, i, y * w + x, stride, value, Seen(flags, i, causal, y, y0));
                        y++;
                    }
                }
                for (; y < Math.Min(y0 + 4, h); y++)
                {
                    var i = (y + 1) * stride + x + 1;
                    var f = Seen(flags, i, causal, y, y0);
                    if ((f & (Significant | Visited)) == 0 && mq.Decode(zc[f & 0xFF]) == 1)
                        DecodeSign(mq, v, flags, i, y * w + x, stride, value, f);
                    flags[i] &= ~Visited;
                }
            }
    }

    // ---- Inverse wavelets (T.800 Annex F) ----

    private delegate void Synthesis<T>(Span<T> line, int start);

    /// <summary>Reversible: coefficients halved back from the mid-point scale, 5/3 integer lifting.</summary>
    private static int[] InverseReversible(TileComponent tc) =>
        Reconstruct<int>(tc, band => [.. band.Coefficients.Select(c => c / 2)], Synthesize53);

    /// <summary>Irreversible: coefficients times the step (and ½ for the mid-point scale), 9/7 float lifting.</summary>
    private static float[] InverseIrreversible(TileComponent tc) =>
        Reconstruct<float>(tc, band => [.. band.Coefficients.Select(c => (float)(c * band.Step / 2))], Synthesize97);

    /// <summary>
    /// From the lowest resolution up: interleave the lower resolution with the three bands of the next, then synthesise
    /// every row, then every column (the inverse of the encoder's columns-then-rows, which integer lifting needs).
    /// </summary>
    private static T[] Reconstruct<T>(TileComponent tc, Func<Band, T[]> coefficients, Synthesis<T> synthesize)
    {
        var current = coefficients(tc.Resolutions[0].Bands[0]);
        for (var r = 1; r < tc.Resolutions.Length; r++)
        {
            var res = tc.Resolutions[r];
            var (w, h) = (res.X1 - res.X0, res.Y1 - res.Y0);
            var image = new T[w * h];
            var lower = tc.Resolutions[r - 1];
            Place(image, w, res.X0, res.Y0, current, lower.X0, lower.Y0, lower.X1 - lower.X0, lower.Y1 - lower.Y0, 0, 0);
            foreach (var band in res.Bands)
                Place(image, w, res.X0, res.Y0, coefficients(band), band.X0, band.Y0, band.X1 - band.X0, band.Y1 - band.Y0, band.Orientation & 1, band.Orientation >> 1);
            var line = new T[Math.Max(w, h)];
            for (var y = 0; y < h; y++)
            {
                image.AsSpan(y * w, w).CopyTo(line);
                synthesize(line.AsSpan(0, w), res.X0);
                line.AsSpan(0, w).CopyTo(image.AsSpan(y * w, w));
            }
            for (var x = 0; x < w; x++)
            {
                for (var y = 0; y < h; y++) line[y] = image[y * w + x];
                synthesize(line.AsSpan(0, h), res.Y0);
                for (var y = 0; y < h; y++) image[y * w + x] = line[y];
            }
            current = image;
        }
        return current;
    }

    /// <summary>2D_INTERLEAVE: band sample (u, v) goes to resolution position (2u + xob, 2v + yob).</summary>
    private static void Place<T>(T[] image, int width, int rx0, int ry0, T[] band, int bx0, int by0, int bw, int bh, int xob, int yob)
    {
        for (var j = 0; j < bh; j++)
            for (var i = 0; i < bw; i++)
            {
                var x = 2 * (bx0 + i) + xob - rx0;
                var y = 2 * (by0 + j) + yob - ry0;
                image[y * width + x] = band[j * bw + i];
            }
    }

    /// <summary>1D 5/3 synthesis of samples at absolute positions start … start + n − 1 (even positions low-pass).</summary>
    private static void Synthesize53(Span<int> x, int start)
    {
        var n = x.Length;
        if (n == 1)
        {
            if ((start & 1) == 1) x[0] /= 2;
            return;
        }
        int At(Span<int> s, int k) => s[k < 0 ? -k : k >= n ? 2 * (n - 1) - k : k];
        var first = start & 1; // relative index of the first odd (high-pass) position is 1 − first
        for (var k = first; k < n; k += 2) x[k] -= (At(x, k - 1) + At(x, k + 1) + 2) >> 2;
        for (var k = 1 - first; k < n; k += 2) x[k] += (At(x, k - 1) + At(x, k + 1)) >> 1;
    }

    private const float Alpha = -1.586134342059924f, Beta = -0.052980118572961f, Gamma = 0.882911075530934f, Delta = 0.443506852043971f, K = 1.230174104914001f;

    /// <summary>1D 9/7 synthesis (T.800 F.3.8.2), even absolute positions low-pass.</summary>
    private static void Synthesize97(Span<float> x, int start)
    {
        var n = x.Length;
        if (n == 1)
        {
            if ((start & 1) == 1) x[0] /= 2;
            return;
        }
        float At(Span<float> s, int k) => s[k < 0 ? -k : k >= n ? 2 * (n - 1) - k : k];
        var even = start & 1; // relative index of the first even absolute position
        var odd = 1 - even;
        for (var k = even; k < n; k += 2) x[k] *= K;
        for (var k = odd; k < n; k += 2) x[k] /= K;
        for (var k = even; k < n; k += 2) x[k] -= Delta * (At(x, k - 1) + At(x, k + 1));
        for (var k = odd; k < n; k += 2) x[k] -= Gamma * (At(x, k - 1) + At(x, k + 1));
        for (var k = even; k < n; k += 2) x[k] -= Beta * (At(x, k - 1) + At(x, k + 1));
        for (var k = odd; k < n; k += 2) x[k] -= Alpha * (At(x, k - 1) + At(x, k + 1));
    }

    /// <summary>Reversible component transform (T.800 G.2): Y, Cb, Cr back to R, G, B.</summary>
    private static void InverseRct(int[][] c, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var (y, u, v) = (c[0][i], c[1][i], c[2][i]);
            var g = y - ((u + v) >> 2);
            c[0][i] = v + g;
            c[1][i] = g;
            c[2][i] = u + g;
        }
    }

    /// <summary>Irreversible component transform (T.800 G.3).</summary>
    private static void InverseIct(float[][] c, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var (y, u, v) = (c[0][i], c[1][i], c[2][i]);
            c[0][i] = y + 1.402f * v;
            c[1][i] = y - 0.34413f * u - 0.71414f * v;
            c[2][i] = y + 1.772f * u;
        }
    }
}
