import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** `batch-notifications`: send one templated email to many users (at most 500 per job). */
export class BatchNotificationsPayload {
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  userIds!: string[];

  /** Template name, e.g. `'weekly-digest'`. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  template!: string;
}
