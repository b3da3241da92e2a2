export type FileBlobTable = {
  sha256: string;
  size: number;
  media_type: string;
  content: Buffer;
  created_at: string;
};
