using FacetMlNet.Domain;

namespace FacetMlNet.Synthetic.Phantoms;

/// <summary>
/// One facet joint in the axial plane. In side-local coordinates (u lateral, v posterior, mm, origin at the joint
/// centre) the joint space is an arc of the facet orientation circle, at <see cref="JointTruth.AngleDeg"/> to the
/// mid-sagittal plane. The superior articular process of the lower vertebra lies anterolateral to it (concave,
/// facing posteromedially), the inferior articular process of the upper vertebra posteromedial (convex).
/// </summary>
internal sealed class FacetJointPhantom
{
    private const double HalfHeightMm = 9;     // the joint is ≈ 15–18 mm tall
    private const double HalfLengthMm = 7.5;   // ≈ 15 mm long in the axial plane
    private const double CortexMm = 0.9;

    private readonly JointTruth _truth;
    private readonly double _nU, _nV, _radius;
    private readonly double _sclerosisMm;
    private readonly (double T, double Width, double Depth)[] _pitsSuperior;
    private readonly (double T, double Width, double Depth)[] _pitsInferior;

    public FacetJointPhantom(JointTruth truth, double centreU, double centreV)
    {
        _truth = truth;
        CentreU = centreU;
        CentreV = centreV;
        var theta = truth.AngleDeg * Math.PI / 180;
        // Normal towards the inferior process (posteromedial); the joint runs along (sin θ, cos θ), posterolaterally.
        (_nU, _nV) = (-Math.Cos(theta), Math.Sin(theta));
        _radius = truth.CurvatureDiameterMm / 2;
        // Subchondral sclerosis thickens with the overall grade.
        _sclerosisMm = 0.3 * truth.Grades.Overall;
        var rng = new SeededRandom((ulong)truth.PatternSeed);
        _pitsSuperior = Pits(rng, truth.ErosionPits, truth.ErosionDepthMm);
        _pitsInferior = Pits(rng, truth.ErosionPits, truth.ErosionDepthMm);
    }

    public double CentreU { get; }

    public double CentreV { get; }

    private static (double, double, double)[] Pits(SeededRandom rng, int count, double depth) =>
        [.. Enumerable.Range(0, count).Select(_ => (rng.Uniform(-HalfLengthMm + 1, HalfLengthMm - 1), rng.Uniform(0.5, 1.3), depth * rng.Uniform(0.6, 1.0)))];

    private static double PitDepth((double T, double Width, double Depth)[] pits, double t)
    {
        var d = 0.0;
        foreach (var p in pits)
        {
            var x = (t - p.T) / p.Width;
            if (x * x < 9) d = Math.Max(d, p.Depth * Math.Exp(-x * x));
        }
        return d;
    }

    /// <summary>Where the joint lies, as a rough box (side-local u, v), for the renderer's bounds.</summary>
    public double ExtentMm => HalfLengthMm + 12 + _truth.OsteophyteMm;

    /// <summary>
    /// Classifies a side-local point. Returns null where the joint has nothing (background shows), otherwise the
    /// tissue; <paramref name="boneDepth"/> is the depth inside bone, mm, used to blend with neighbouring bone.
    /// </summary>
    public Tissue? Classify(double u, double v, double z, out double boneDepth)
    {
        boneDepth = -1;
        var zf = z / HalfHeightMm;
        if (zf * zf >= 1) return null;
        var shrink = Math.Sqrt(1 - zf * zf);
        var halfLength = HalfLengthMm * shrink;

        var pu = u - CentreU;
        var pv = v - CentreV;
        // Vector from the circle centre (on the inferior side, at distance R along n) to the point.
        var ru = pu - _nU * _radius;
        var rv = pv - _nV * _radius;
        var dist = Math.Sqrt(ru * ru + rv * rv);
        var s = dist - _radius; // > 0 superior (anterolateral) side, < 0 inferior side
        var t = _radius * Math.Atan2(-_nU * rv + _nV * ru, -_nU * ru - _nV * rv);

        var halfWidth = _truth.WidthMm / 2 * (1 + 0.25 * (t / HalfLengthMm) * (t / HalfLengthMm)); // wider at the ends
        var hyp = _truth.HypertrophyScale;
        var supThickness = 4.2 * hyp * shrink;
        var infThickness = 4.8 * hyp * shrink;
        var processHalfLength = halfLength + 1.2 * hyp;

        // Joint space: between the subchondral surfaces, eroded surfaces receding into bone.
        var supSurface = halfWidth + PitDepth(_pitsSuperior, t);
        var infSurface = -halfWidth - PitDepth(_pitsInferior, t);
        if (Math.Abs(t) < halfLength && s > infSurface && s < supSurface)
            return _truth.Vacuum && Math.Abs(s) < halfWidth * 0.6 && Math.Abs(t) < halfLength * 0.6 ? Tissue.Gas : Tissue.Fluid;

        // Articular processes: curved slabs on each side of the joint.
        var depth = -1.0;
        var subchondral = false;
        if (s >= supSurface && s < supSurface + supThickness + 3 && Math.Abs(t) < processHalfLength)
        {
            var dOuter = halfWidth + supThickness - s;
            var d = Math.Min(Math.Min(s - supSurface, dOuter), processHalfLength - Math.Abs(t));
            if (d > depth) { depth = d; subchondral = s - supSurface < CortexMm + _sclerosisMm; }
        }
        if (s <= infSurface && s > infSurface - infThickness - 3 && Math.Abs(t) < processHalfLength)
        {
            var dOuter = s + halfWidth + infThickness;
            var d = Math.Min(Math.Min(infSurface - s, dOuter), processHalfLength - Math.Abs(t));
            if (d > depth) { depth = d; subchondral = infSurface - s < CortexMm + _sclerosisMm; }
        }

        // Osteophytes: bony spurs growing from both margins at each end of the joint, beyond the cartilage.
        if (_truth.OsteophyteMm > 0.05)
        {
            foreach (var end in (ReadOnlySpan<int>)[-1, 1])
            {
                var along = end * t - processHalfLength; // mm beyond the end of the process
                if (along < -0.5 || along > _truth.OsteophyteMm) continue;
                var taper = 1 - Math.Max(0, along) / (_truth.OsteophyteMm + 0.3);
                var reach = (1.5 + 0.6 * _truth.OsteophyteMm) * taper * shrink;
                var dTip = _truth.OsteophyteMm - along;
                var dSup = Math.Min(Math.Min(s - halfWidth, halfWidth + reach - s), dTip);
                var dInf = Math.Min(Math.Min(-halfWidth - s, s + halfWidth + reach), dTip);
                var d = Math.Max(dSup, dInf);
                if (d > depth) depth = d;
            }
        }

        if (depth <= 0) return null;
        boneDepth = depth;

        // Subchondral cysts: round fluid lesions with a sclerotic rim, just under the articular surface.
        foreach (var cyst in _truth.Cysts)
        {
            var dz = z - cyst.Z;
            var r2 = cyst.Radius * cyst.Radius - dz * dz;
            if (r2 <= 0) continue;
            var r = Math.Sqrt(r2);
            var cs = cyst.OnSuperior ? halfWidth + cyst.Depth + cyst.Radius : -halfWidth - cyst.Depth - cyst.Radius;
            var dc = Math.Sqrt((s - cs) * (s - cs) + (t - cyst.T) * (t - cyst.T));
            if (dc < r) return Tissue.Fluid;
            if (dc < r + 0.7) return Tissue.Sclerotic;
        }
        if (subchondral) return _sclerosisMm > 0.25 ? Tissue.Sclerotic : Tissue.Cortical;
        return depth < CortexMm ? Tissue.Cortical : Tissue.Cancellous;
    }

    /// <summary>The joint centre in side-local coordinates.</summary>
    public (double U, double V) Centre => (CentreU, CentreV);

    /// <summary>The finding behind this joint.</summary>
    public FacetJoint Joint => _truth.Joint;
}
