using FacetMlNet.Domain;

namespace FacetMlNet.Synthetic.Phantoms;

/// <summary>
/// One lumbar level in the axial plane through its facet joints, in patient coordinates (LPS, mm) with the
/// spinal canal's centre at the origin and z = 0 through the joint centres: disc and vertebral rim, canal with
/// thecal sac and epidural fat, both facet joints, laminae, spinous process, paraspinal and psoas muscles, fat.
/// </summary>
internal sealed class LevelPhantom
{
    private readonly double _size, _cos, _sin;
    private readonly FacetJointPhantom _left, _right;

    public LevelPhantom(SyntheticPatient patient, SpinalLevel level)
    {
        _size = patient.Size;
        var rot = patient.RotationDeg * Math.PI / 180;
        (_cos, _sin) = (Math.Cos(rot), Math.Sin(rot));
        var spread = level == SpinalLevel.L5S1 ? 1.12 : level == SpinalLevel.L4L5 ? 1.05 : 1.0;
        var u = 17.5 * _size * spread;
        var v = 9.0 * _size;
        _left = new FacetJointPhantom(patient.Joints.Single(j => j.Joint == new FacetJoint(level, Side.Left)), u, v);
        _right = new FacetJointPhantom(patient.Joints.Single(j => j.Joint == new FacetJoint(level, Side.Right)), u, v);
    }

    /// <summary>Patient x, y (mm, z = 0 plane) of a joint centre, rotation included.</summary>
    public (double X, double Y) JointCentre(Side side)
    {
        var j = side == Side.Left ? _left : _right;
        var x = side == Side.Left ? j.CentreU : -j.CentreU;
        return (_cos * x - _sin * j.CentreV, _sin * x + _cos * j.CentreV);
    }

    /// <summary>The tissue at a patient point.</summary>
    public Tissue Classify(double x, double y, double z)
    {
        // Undo the spine's rotation: work in the spine's own frame.
        var sx = _cos * x + _sin * y;
        var sy = -_sin * x + _cos * y;
        var posterior = Posterior(sx, sy, z);
        return posterior ?? Background(sx, sy);
    }

    /// <summary>True where <see cref="Classify"/> can depend on z: around the facet joints (the rest of the level is a prism).</summary>
    public bool VariesWithZ(double x, double y)
    {
        var sx = _cos * x + _sin * y;
        var sy = -_sin * x + _cos * y;
        var joint = sx >= 0 ? _left : _right;
        var extent = joint.ExtentMm;
        return Math.Abs(Math.Abs(sx) - joint.CentreU) < extent && Math.Abs(sy - joint.CentreV) < extent;
    }

    private Tissue? Posterior(double x, double y, double z)
    {
        var joint = x >= 0 ? _left : _right;
        var u = Math.Abs(x);
        var best = -1.0;
        Tissue? found = null;
        var jt = joint.Classify(u, y, z, out var jointDepth);
        if (jt is Tissue.Fluid or Tissue.Gas && jointDepth < 0) return jt;
        if (jt is not null) { found = jt; best = jointDepth; }

        // Lamina: from behind the inferior process to the base of the spinous process; spinous process in the midline.
        var (cu, cv) = joint.Centre;
        var lamina = Capsule(u, y, cu - 3.5 * _size, cv + 5.5 * _size, 2.5 * _size, 21 * _size, 3.0 * _size);
        var spinous = Capsule(u, y, 0, 21 * _size, 0, 50 * _size, 3.6 * _size);
        var bone = Math.Max(lamina, spinous);
        if (bone > best && bone > 0)
            return jt is Tissue.Sclerotic or Tissue.Fluid ? jt : bone < 0.9 ? Tissue.Cortical : Tissue.Cancellous;
        if (found is not null) return found;

        // Ligamentum flavum lining the canal's posterior wall, and the joint capsule.
        if (Capsule(u, y, 0, 10.5 * _size, cu - 4 * _size, cv - 1 * _size, 1.6 * _size) > 0) return Tissue.SoftTissue;
        var dcu = u - cu;
        var dcv = y - cv;
        if (dcu * dcu + dcv * dcv < 100 * _size * _size && Math.Abs(z) < 8) return Tissue.SoftTissue;
        return null;
    }

    private Tissue Background(double x, double y)
    {
        var s = _size;
        // Spinal canal: thecal sac (CSF) in epidural fat.
        if (Ellipse(x, y, 0, 2 * s, 7.5 * s, 6.5 * s)) return Tissue.Fluid;
        if (Ellipse(x, y, 0, 2 * s, 11 * s, 9 * s)) return Tissue.Fat;
        // Disc with a thin bony rim (the endplate ring apophysis is partly in a thick slice).
        if (Ellipse(x, y, 0, -30 * s, 24 * s, 17 * s)) return Ellipse(x, y, 0, -30 * s, 22.5 * s, 15.5 * s) ? Tissue.Disc : Tissue.Cortical;
        // Psoas anterolaterally, erector spinae and multifidus posterolaterally.
        if (Ellipse(x, y, 38 * s, -28 * s, 15 * s, 19 * s) || Ellipse(x, y, -38 * s, -28 * s, 15 * s, 19 * s)) return Tissue.Muscle;
        if (Ellipse(x, y, 30 * s, 38 * s, 25 * s, 24 * s) || Ellipse(x, y, -30 * s, 38 * s, 25 * s, 24 * s)) return Tissue.Muscle;
        // Body wall: fat under the skin, air outside.
        if (!Ellipse(x, y, 0, 5 * s, 160 * s, 115 * s)) return Tissue.Air;
        return Tissue.Fat;
    }

    private static bool Ellipse(double x, double y, double cx, double cy, double rx, double ry)
    {
        var dx = (x - cx) / rx;
        var dy = (y - cy) / ry;
        return dx * dx + dy * dy < 1;
    }

    /// <summary>Depth inside a capsule (segment a–b with a radius), negative outside.</summary>
    private static double Capsule(double x, double y, double ax, double ay, double bx, double by, double radius)
    {
        var abx = bx - ax;
        var aby = by - ay;
        var h = Math.Clamp(((x - ax) * abx + (y - ay) * aby) / (abx * abx + aby * aby), 0, 1);
        var dx = x - ax - abx * h;
        var dy = y - ay - aby * h;
        return radius - Math.Sqrt(dx * dx + dy * dy);
    }
}
