/* dirsync.h -- the queue folder's fsync, shared by the daemon's processes (see dirsync.c). */
#ifndef DIRSYNC_H
#define DIRSYNC_H

/* The daemon, before it forks: its children share the syncs of folder dir. */
void dirsync_share(const char *dir);
/* fsync(fd) of a folder, or 0 if a sync of the shared folder begun since the caller's
 * last change to it has succeeded; -1 (errno) as fsync. */
int dirsync(int fd);

#endif
