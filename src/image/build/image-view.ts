// What COPY, ADD and WORKDIR need to know about the image they write into, read through the
// runtime's LayeredView (the merged layers, symlinks resolved inside the image): metadata of
// existing directories (copy-plan keeps them), and the image's own user database (--chown,
// WORKDIR's owner).
import type { LayeredView } from '../../runtime/rootfs-view.js';
import type { ImageDirInfo } from './copy-plan.js';
import { resolveChown, type Owner } from './ownership.js';

/** copy-plan's `imageDir`: metadata of a symlink-free path of the image, if it exists. */
export function imageDirInfo(view: LayeredView): (rel: string) => ImageDirInfo | undefined {
  return (rel) => {
    const st = view.resolve(`/${rel}`, false).stat;
    return st && { isDir: st.isDirectory(), mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: st.mtimeMs / 1000 };
  };
}

/** `user[:group]` resolved in the image's /etc/passwd and /etc/group, BuildKit's rules. */
export function imageOwner(view: LayeredView, spec: string): Owner {
  return resolveChown(spec, view.readFile('/etc/passwd')?.toString(), view.readFile('/etc/group')?.toString());
}
