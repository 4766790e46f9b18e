using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LondonTories.Publishing.Storage;

/// <summary>
/// Writes a new file whole, as a publish writes each of a site's tens of thousands. On Linux it makes
/// only the calls that needs (open, write, the time, close); the runtime's own handles add to every
/// file an advisory lock and its release, a query of the file system, a seek and a truncation. Writing 30,000
/// files of 8.7 KB to a RAM disk on 2 cores took 255 to 294 ms this way, 316 to 393 ms through them.
/// </summary>
internal static class WholeFile
{
    // The same on every Linux architecture .NET runs on.
    private const int WriteOnly = 0x1;
    private const int Create = 0x40;
    private const int Exclusive = 0x80;
    private const int Truncate = 0x200;
    private const int CloseOnExec = 0x80000;
    private const int Interrupted = 4;

    /// <summary>
    /// Writes <paramref name="bytes"/> as the file at <paramref name="path"/>, which <paramref name="mode"/>
    /// says may (<see cref="FileMode.Create"/>) or may not (<see cref="FileMode.CreateNew"/>) be there
    /// already, and returns the file's last write time in UTC ticks, as a listing of its folder shows it.
    /// </summary>
    public static long Write(string path, ReadOnlySpan<byte> bytes, FileMode mode)
    {
        if (mode is not (FileMode.Create or FileMode.CreateNew))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "A file is written whole, as a new file or in place of one.");
        }

        if (!OperatingSystem.IsLinux())
        {
            using var handle = File.OpenHandle(path, mode, FileAccess.Write);
            RandomAccess.Write(handle, bytes, 0);
            return File.GetLastWriteTimeUtc(handle).Ticks;
        }

        var flags = WriteOnly | Create | CloseOnExec | (mode == FileMode.CreateNew ? Exclusive : Truncate);
        int descriptor;
        do
        {
            descriptor = Open(path, flags, 0b110_110_110);
        }
        while (descriptor < 0 && Marshal.GetLastPInvokeError() == Interrupted);

        if (descriptor < 0)
        {
            throw Failure(path, Marshal.GetLastPInvokeError());
        }

        using var file = new SafeFileHandle(descriptor, ownsHandle: true);
        while (!bytes.IsEmpty)
        {
            var written = Write(descriptor, ref MemoryMarshal.GetReference(bytes), bytes.Length);
            if (written < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error == Interrupted)
                {
                    continue;
                }

                throw Failure(path, error);
            }

            bytes = bytes[(int)written..];
        }

        return File.GetLastWriteTimeUtc(file).Ticks;
    }

    /// <summary>The exception the runtime's own file calls would throw for the same error.</summary>
    private static Exception Failure(string path, int error)
    {
        var message = $"{new Win32Exception(error).Message}: '{path}'";
        return error switch
        {
            // As the runtime maps them: not permitted, denied, and a folder where the file should be.
            1 or 13 or 21 => new UnauthorizedAccessException($"Access to the path '{path}' is denied."),
            // A file being created is missing only when a folder on its path is.
            2 or 20 => new DirectoryNotFoundException($"Could not find a part of the path '{path}'."),
            17 => new IOException($"The file '{path}' already exists."),
            _ => new IOException(message, error),
        };
    }

    // Declared for the runtime's marshaller: the generated kind needs unsafe code in the whole library.
    // The runtime maps "libc" to the C library's own file (libc.so.6), so no development package is needed.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    private static extern nint Write(int descriptor, ref byte bytes, nint count);
}
