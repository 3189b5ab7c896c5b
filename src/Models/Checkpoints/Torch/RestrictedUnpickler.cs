using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace MLNet.Transformers.Models.Checkpoints.Torch;

/// <summary>
/// A pickle reader that understands only the opcodes a PyTorch state dict uses (protocols 2 to 4: containers,
/// strings, numbers, memo, persistent ids) and only the globals of <see cref="TorchGlobals"/>. Any other opcode or
/// global is an error; no code is ever imported or executed.
/// </summary>
internal sealed class RestrictedUnpickler
{
    private const int FrameLengthBytes = 8;
    private readonly byte[] _data;
    private readonly string _location;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];
    private int _position;

    private RestrictedUnpickler(byte[] data, string location)
    {
        _data = data;
        _location = location;
    }

    /// <summary>Reads the object a pickle describes.</summary>
    /// <exception cref="InvalidDataException">The pickle uses anything outside the allowed subset, or is malformed.</exception>
    public static object? Load(byte[] data, string location) => new RestrictedUnpickler(data, location).Run();

    private object? Run()
    {
        while (true)
        {
            var at = _position;
            var opcode = ReadByte();
            switch (opcode)
            {
                case 0x80: ReadByte(); break; // PROTO
                case 0x95: Take(FrameLengthBytes); break; // FRAME: a length hint
                case (byte)'.': return _stack.Count == 1 ? Pop() : throw Error(at, "STOP with a malformed stack");
                case (byte)'(': _marks.Push(_stack.Count); break; // MARK
                case (byte)'}': Push(new PickleDictionary()); break; // EMPTY_DICT
                case (byte)']': Push(new List<object?>()); break; // EMPTY_LIST
                case (byte)')': Push(Array.Empty<object?>()); break; // EMPTY_TUPLE
                case (byte)'t': Push(PopToMark().ToArray()); break; // TUPLE
                case 0x85: Push(PopMany(1)); break; // TUPLE1
                case 0x86: Push(PopMany(2)); break; // TUPLE2
                case 0x87: Push(PopMany(3)); break; // TUPLE3
                case (byte)'d': Push(ToDictionary(PopToMark(), at)); break; // DICT
                case (byte)'l': Push(PopToMark()); break; // LIST
                case (byte)'q': _memo[ReadByte()] = Peek(); break; // BINPUT
                case (byte)'r': _memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = Peek(); break; // LONG_BINPUT
                case 0x94: _memo[_memo.Count] = Peek(); break; // MEMOIZE
                case (byte)'h': Push(Recall(ReadByte(), at)); break; // BINGET
                case (byte)'j': Push(Recall(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)), at)); break; // LONG_BINGET
                case (byte)'X': Push(ReadString(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break; // BINUNICODE
                case 0x8c: Push(ReadString(ReadByte())); break; // SHORT_BINUNICODE
                case 0x8d: Push(ReadString(BinaryPrimitives.ReadUInt64LittleEndian(Take(8)))); break; // BINUNICODE8
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break; // BININT
                case (byte)'K': Push((long)ReadByte()); break; // BININT1
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break; // BININT2
                case 0x8a: Push(ReadLong1(at)); break; // LONG1
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break; // BINFLOAT
                case (byte)'N': Push(null); break; // NONE
                case 0x88: Push(true); break; // NEWTRUE
                case 0x89: Push(false); break; // NEWFALSE
                case (byte)'c': Push(Global(ReadLine(), ReadLine(), at)); break; // GLOBAL
                case 0x93: // STACK_GLOBAL
                    var name = Pop() as string;
                    var module = Pop() as string;
                    Push(Global(module ?? throw Error(at, "STACK_GLOBAL without strings"), name ?? "", at));
                    break;
                case (byte)'R': // REDUCE
                    var args = Pop() as object?[] ?? throw Error(at, "REDUCE without an argument tuple");
                    Push(TorchGlobals.Call(Pop() as PickleGlobal ?? throw Error(at, "REDUCE of something not callable"), args, _location));
                    break;
                case (byte)'b': // BUILD: the state of an OrderedDict (its _metadata) or a tensor carries no data we need
                    Pop();
                    if (Peek() is not (PickleDictionary or TorchTensor)) throw Error(at, "BUILD of an object that is not a state dict");
                    break;
                case (byte)'Q': Push(TorchGlobals.Storage(Pop(), _location)); break; // BINPERSID
                case (byte)'s': SetItems(PopMany(2), at); break; // SETITEM
                case (byte)'u': SetItems(PopToMark().ToArray(), at); break; // SETITEMS
                case (byte)'a': Append(PopMany(1), at); break; // APPEND
                case (byte)'e': Append(PopToMark().ToArray(), at); break; // APPENDS
                default: throw Error(at, $"opcode 0x{opcode:x2}, which a tensor state dict does not use");
            }
        }
    }

    private PickleGlobal Global(string module, string name, int at)
    {
        var global = new PickleGlobal(module, name);
        return TorchGlobals.IsAllowed(global) ? global : throw Error(at, $"a reference to {global}, which is not allowed");
    }

    private void SetItems(object?[] pairs, int at)
    {
        if (pairs.Length % 2 != 0 || Peek() is not PickleDictionary dictionary) throw Error(at, "SETITEM(S) on something not a dict");
        for (var i = 0; i < pairs.Length; i += 2) dictionary.Add(KeyValuePair.Create(pairs[i], pairs[i + 1]));
    }

    private void Append(object?[] items, int at)
    {
        if (Peek() is not List<object?> list) throw Error(at, "APPEND(S) on something not a list");
        list.AddRange(items);
    }

    private PickleDictionary ToDictionary(List<object?> items, int at)
    {
        var dictionary = new PickleDictionary();
        _stack.Add(dictionary);
        SetItems([.. items], at);
        return (PickleDictionary)Pop()!;
    }

    private object? Recall(long key, int at) =>
        _memo.TryGetValue(key, out var value) ? value : throw Error(at, $"memo key {key} that was never stored");

    private long ReadLong1(int at)
    {
        var bytes = Take(ReadByte());
        if (bytes.Length > sizeof(long)) throw Error(at, "an integer wider than 64 bits");
        return (long)new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
    }

    private string ReadString(ulong length)
    {
        if (length > (ulong)(_data.Length - _position)) throw Error(_position, "a string running past the end");
        return Encoding.UTF8.GetString(Take((int)length));
    }

    private string ReadLine()
    {
        var end = Array.IndexOf(_data, (byte)'\n', _position);
        if (end < 0) throw Error(_position, "an unterminated GLOBAL name");
        var text = Encoding.ASCII.GetString(_data, _position, end - _position);
        _position = end + 1;
        return text;
    }

    private byte ReadByte() => Take(1)[0];

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > _data.Length - _position) throw Error(_position, "data running past the end");
        var span = _data.AsSpan(_position, count);
        _position += count;
        return span;
    }

    private void Push(object? value) => _stack.Add(value);

    private object? Peek() => _stack.Count > 0 ? _stack[^1] : throw Error(_position, "an empty stack");

    private object? Pop()
    {
        var value = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private object?[] PopMany(int count)
    {
        if (_stack.Count - count < (_marks.Count > 0 ? _marks.Peek() : 0)) throw Error(_position, "a stack underflow");
        var items = _stack.GetRange(_stack.Count - count, count).ToArray();
        _stack.RemoveRange(_stack.Count - count, count);
        return items;
    }

    private List<object?> PopToMark()
    {
        if (_marks.Count == 0) throw Error(_position, "a missing MARK");
        var mark = _marks.Pop();
        var items = _stack.GetRange(mark, _stack.Count - mark);
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private InvalidDataException Error(int at, string what) =>
        new($"{_location}: refused to load: the pickle has {what} (at byte {at}).");
}
